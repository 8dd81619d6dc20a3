# عميل Dais الطرفي: العربية.
# يجب أن يتسع كل سطر لطرفية بعرض 80 عمودًا.

## اللوحات

pane-rooms = القاعات
rooms-none = لا توجد قاعات بعد
rooms-unread = { $count }
rooms-more = +{ $count } أخرى · F9
pane-participants = المشاركون
members-online = متصل: { $online } من { $count }
members-guests = { $count ->
    [zero] لا ضيوف
    [one] ضيف واحد
    [two] ضيفان
    [few] { $count } ضيوف
    [many] { $count } ضيفًا
   *[other] { $count } ضيف
}
members-more = المزيد: { $count }…
members-loading = جارٍ التحميل…
members-more-below = ↓ { $count } آخرون · { $key }
pane-floor = الكلمة · { $mode }
pane-floor-empty = الكلمة
pane-transcript = { $room }
pane-transcript-empty = المداولات
transcript-no-room = لست في أي قاعة. اضغط F9 لاختيار قاعة.
transcript-connecting = جارٍ الاتصال بـ { $server }…
transcript-failed = لم يسمح لك { $server } بالدخول: { $error }. تحقّق من ملف الرمز (--token-file) أو من اسم الضيف، ثم شغّل dais من جديد. Ctrl+Q للخروج.
transcript-new = جديد
transcript-new-below = جديدة: { $count } ↓ End
transcript-loading = جارٍ تحميل المداولات السابقة…
transcript-more = PgUp للمداولات السابقة
transcript-start = بداية المحضر
echo-sending = جارٍ الإرسال…
echo-failed = لم يُرسل

## الأنماط

mode-speakers-list = قائمة المتكلمين
mode-round-robin = جولة مداخلات
mode-open = نقاش مفتوح
mode-suspended = الجلسة معلّقة
mode-short-speakers-list = قائمة
mode-short-round-robin = جولة
mode-short-open = مفتوح
mode-short-suspended = معلّق

## فئات أصحاب المصلحة

stakeholder-government = الحكومات
stakeholder-private-sector = القطاع الخاص
stakeholder-technical-community = المجتمع التقني
stakeholder-civil-society = المجتمع المدني
stakeholder-academia = الأوساط الأكاديمية
stakeholder-intergovernmental = منظمات حكومية دولية
badge-government = حكومة
badge-private-sector = خاص
badge-technical-community = تقني
badge-civil-society = مدني
badge-academia = أكاديمي
badge-intergovernmental = دولية
badge-guest = [ضيف]
name-guest = { $name } [ضيف]

## الأدوار

role-delegate = مندوب
role-moderator = الرئيس
role-interpreter = مترجم شفوي
role-observer = مراقب

## الكلمة وقائمة المتكلمين

class-reply = (رد)
class-clarifying = (سؤال)
floor-paused = الوقت متوقف
floor-stopped-offline = الساعة متوقفة أثناء الانقطاع
floor-free = لا أحد يتكلم الآن
floor-limit = مدة الكلمة: { $time }
floor-you-spoke = مدة كلامك: { $time }
floor-hint-request = F2 لطلب الكلمة
queue-title = قائمة المتكلمين: { $count } بالانتظار
queue-closed = (مغلقة)
queue-empty = لا أحد بالانتظار
queue-you = أنت
round-status = الجولة { $round }: بقي { $count }
points-title = { $count ->
    [zero] لا نقاط نظام
    [one] نقطة نظام واحدة
    [two] نقطتا نظام
    [few] { $count } نقاط نظام
    [many] { $count } نقطة نظام
   *[other] { $count } نقطة نظام
}

## المداولات

ev-announcement = بيان من الرئيس ({ $who })
ev-point-of-order = نقطة نظام: { $who }
ev-ruling = { $upheld ->
    [yes] قرار { $who }: قُبلت نقطة النظام
    [no] قرار { $who }: رُفضت نقطة النظام
   *[none] قرار { $who }
}
ev-floor-granted = الكلمة لـ { $who } ({ $name })
ev-floor-granted-reply = حق الرد: { $who } ({ $name })
ev-floor-granted-clarifying = سؤال توضيحي: { $who } ({ $name })
ev-floor-granted-one = الكلمة لـ { $who }
ev-floor-granted-reply-one = حق الرد: { $who }
ev-floor-granted-clarifying-one = سؤال توضيحي: { $who }
ev-out-of-order = خارج الترتيب
ev-turn-ended = أنهى { $who } كلمته: { $reason }، { $time }
ev-floor-requested = { $who } يطلب الكلمة
ev-reply-requested = { $who } يطلب حق الرد
ev-reply-requested-to = يطلب { $who } حق الرد على { $author } ({ $time }): «{ $quote }»
ev-clarifying-requested = لدى { $who } سؤال توضيحي
ev-floor-withdrawn = سحب { $who } طلبه من القائمة
ev-clock-paused = أوقف { $who } الوقت
ev-clock-resumed = استأنف { $who } الوقت
ev-mode-changed = غيّر { $who } النمط إلى: { $mode }
ev-time-limit = حدّد { $who } مدة الكلمة: { $time }
ev-queue-reordered = أعاد { $who } ترتيب قائمة المتكلمين
ev-queue-cleared = أفرغ { $who } قائمة المتكلمين
ev-list-closed = أغلق { $who } قائمة المتكلمين
ev-list-opened = أعاد { $who } فتح قائمة المتكلمين
ev-round-started = { $count ->
    [zero] افتتح { $who } الجولة { $round }: لا متكلمين
    [one] افتتح { $who } الجولة { $round }: متكلم واحد
    [two] افتتح { $who } الجولة { $round }: متكلمان
    [few] افتتح { $who } الجولة { $round }: { $count } متكلمين
    [many] افتتح { $who } الجولة { $round }: { $count } متكلمًا
   *[other] افتتح { $who } الجولة { $round }: { $count } متكلم
}
ev-round-ended = انتهت الجولة { $round }
ev-poll-opened = فتح { $who } تصويتًا
ev-poll-closed = أُغلق التصويت. النتائج:
poll-votes = { $count ->
    [zero] لا أصوات
    [one] صوت واحد
    [two] صوتان
    [few] { $count } أصوات
    [many] { $count } صوتًا
   *[other] { $count } صوت
}
ev-muted = أُسكت { $who }
ev-unmuted = يمكن لـ { $who } الكلام مجددًا
ev-removed = أُخرج { $who } من القاعة
ev-room-created = افتتح { $who } هذه القاعة
ev-room-locked = أقفل { $who } القاعة
ev-room-unlocked = فتح { $who } القاعة
ev-room-closed = أغلق { $who } القاعة
ev-service-restored = عادت القاعة بعد { $cause ->
        [failover] عطل في الخادم (تولى { $node } القاعة)
        [handover] تغيير مخطط للخادم (تولى { $node } القاعة)
       *[restart] إعادة تشغيل الخادم
    }، وتوقفت لمدة { $down }
ev-service-restored-paused = أُوقف وقت المتحدث وبقي { $remaining }، فلم يضع شيء منه؛ يستأنفه الرئيس

reason-yielded = تنازل عن الكلمة
reason-yielded-to = تنازل عن بقية الوقت
reason-passed = اعتذر عن الكلمة
reason-revoked = سُحبت الكلمة
reason-time-expired = انتهى الوقت
reason-next-called = انتقل الرئيس إلى التالي
reason-superseded = أعطى الرئيس الكلمة لغيره
reason-holder-left = غادر القاعة
reason-mode-changed = تغيّر النمط

interpretation-shown = ترجمة (الأصل بـ { $lang })؛ t لعرض الأصل
interpretation-original = النص الأصلي؛ t لعرض الترجمة

poll-banner = تصويت: { $question }
poll-hint = F6 للتصويت
poll-count = { $number } { $option }: { $count }
poll-result = { $option }: { $votes }
poll-voted = صوّت وفدك (F6 للتغيير)
poll-option-support = تأييد
poll-option-object = اعتراض
poll-option-abstain = امتناع

## شريط الحالة

status-online = متصل
status-online-at = متصل بـ { $server }
status-connecting = جارٍ الاتصال بـ { $server } (المحاولة { $attempt })…
status-offline = { $seconds ->
    [zero] غير متصل ({ $server })، نعيد المحاولة الآن
    [one] غير متصل ({ $server })، نعيد المحاولة بعد ثانية
    [two] غير متصل ({ $server })، نعيد المحاولة بعد ثانيتين
    [few] غير متصل ({ $server })، نعيد المحاولة بعد { $seconds } ثوانٍ
    [many] غير متصل ({ $server })، نعيد المحاولة بعد { $seconds } ثانية
   *[other] غير متصل ({ $server })، نعيد المحاولة بعد { $seconds } ثانية
}
status-busy = { $seconds ->
    [zero] { $server } مشغول (اتصالات كثيرة)، نعيد المحاولة الآن
    [one] { $server } مشغول (اتصالات كثيرة)، نعيد المحاولة بعد ثانية
    [two] { $server } مشغول (اتصالات كثيرة)، نعيد المحاولة بعد ثانيتين
    [few] { $server } مشغول (اتصالات كثيرة)، نعيد المحاولة بعد { $seconds } ثوانٍ
    [many] { $server } مشغول (اتصالات كثيرة)، نعيد المحاولة بعد { $seconds } ثانية
   *[other] { $server } مشغول (اتصالات كثيرة)، نعيد المحاولة بعد { $seconds } ثانية
}
status-unsent = { $count ->
    [zero] لا رسائل بانتظار الإرسال
    [one] رسالة واحدة بانتظار الإرسال
    [two] رسالتان بانتظار الإرسال
    [few] { $count } رسائل بانتظار الإرسال
    [many] { $count } رسالة بانتظار الإرسال
   *[other] { $count } رسالة بانتظار الإرسال
}
status-hint = F1 مساعدة · Ctrl+P إجراءات

## الإدخال

input-title = رسالة · Enter للإرسال · Alt+Enter لسطر جديد
input-title-unfocused = رسالة · اكتب أو اضغط Esc للكتابة
input-placeholder = اكتب لتحرير رسالة

## النوافذ

palette-title = الإجراءات
prompt-title = Enter للتأكيد · Esc للإلغاء
reorder-title = إعادة ترتيب قائمة المتكلمين
reorder-hint = Shift+↑↓ أو +/- للتحريك · Enter للحفظ
help-title = مساعدة · Esc للإغلاق
help-title-position = مساعدة · { $from }–{ $to } من { $count } · ↑↓ PgUp PgDn · Esc
search-title = البحث في المحضر
search-hint = اكتب الكلمات · ↑ الأقدم · ↓ الأحدث · Enter
search-status = النتيجة { $at } من { $count } · ↑ الأقدم · ↓ الأحدث · Enter
search-none = لا نتائج
help-section-keys = الكتابة والقراءة
help-send = إرسال الرسالة
help-newline = سطر جديد في الرسالة
help-history = استرجاع ما أرسلته
help-complete = إكمال اسم أو /أمر
help-end = العودة إلى أحدث رسالة
help-focus = مغادرة الكتابة إلى المحضر
help-select = اختيار رسالة
help-scroll = تمرير المداولات
help-top-bottom = بداية المداولات ونهايتها
help-scroll-members = تمرير قائمة المشاركين
help-section-proceedings = في المحضر
help-message-actions = ما يمكن فعله بالرسالة المختارة
help-back = العودة إلى الكتابة (أو اكتب فقط)
help-slash = أوامر مائلة: ‎/next و‎/announce نص…
help-section-delegate = المندوبون
help-section-chair = الرئاسة
help-letters = الحروف نص دائمًا ولا تنفّذ إجراءات: استخدم المفاتيح أعلاه أو Ctrl+P أو /أمرًا.
too-small = حجم النافذة { $current }، ويحتاج Dais إلى { $needed } على الأقل: كبّرها من فضلك.

pick-room = اختر قاعة
pick-language = لغة الواجهة
pick-point = أي نقطة نظام؟
pick-point-all = كل نقاط النظام المعلّقة معًا
pick-vote = صوتك
pick-mode = نمط القاعة
pick-participant = اختر مشاركًا
pick-speak = لغة رسائلك
pick-speak-auto = حسب النص
pick-interpret-into = الترجمة إلى
pick-message-action = هذه الرسالة
action-reply = طلب حق الرد عليها
action-interpret = ترجمتها
action-original = الأصل أو الترجمة
pick-upheld = هل تُقبل نقطة النظام؟
confirm-title = هل أنت متأكد؟
confirm-keys = ن أو y: نعم · أي مفتاح آخر: لا
# حروف تعني «نعم» إلى جانب y.
confirm-yes-letters = نY
confirm-yield = التنازل عن الكلمة الآن؟
confirm-yield-to = التنازل عن بقية وقتك لـ { $who }؟
confirm-pass = تجاوز دورك؟
confirm-withdraw = الانسحاب من قائمة المتكلمين؟ ترتيبك { $place }.
confirm-next = إنهاء كلمة { $who } وإعطاء الكلمة للمتكلم التالي؟
confirm-revoke = سحب الكلمة من { $who }؟
confirm-round = بدء جولة؟
confirm-round-cut = بدء جولة؟ سيفقد { $who } الكلمة.
confirm-clear-queue = إفراغ قائمة المتكلمين؟ المنتظرون: { $count }.
confirm-close-poll = إغلاق التصويت «{ $question }»؟
confirm-remove = إخراج { $who } من القاعة؟
confirm-close-room = إغلاق القاعة { $room }؟
ruling-upheld = مقبولة
ruling-rejected = مرفوضة
ruling-no-decision = دون قرار

prompt-point-of-order = نقطة النظام (اختياري):
prompt-interpret = ترجمة الرسالة المختارة:
prompt-interpret-into = الترجمة إلى { $lang } للنص:
prompt-announce = بيان إلى القاعة:
prompt-time-limit = مدة الكلمة (90 أو 1:30 أو 2m):
prompt-poll-question = سؤال التصويت:
prompt-poll-options = خيارات تفصل بينها ; (فارغ: تأييد؛ اعتراض؛ امتناع)
prompt-ruling = قرارك بشأن نقطة النظام:
prompt-room-id = معرّف القاعة الجديدة (مثل cyber-security):
prompt-room-title = اسم القاعة الجديدة:

## عرض الإنصاف (Ctrl+T، /fairness): أرقام الإنصاف في القاعة.

fairness-title = الإنصاف · { $room } · { $window }
fairness-keys = Esc للإغلاق · Enter للتحديث · Tab: { $next } · ↑↓ للتمرير
fairness-position = { $from }–{ $to } من { $count }
fairness-window-whole = المحضر كله
fairness-window-last = آخر { $minutes } دقيقة
fairness-bad-window = ليست فترة صحيحة: { $window }. اكتب /fairness أو /fairness 15m أو /fairness 1h
fairness-loading = جارٍ طلب الأرقام من الخادم…
fairness-offline = غير متصل: تصل الأرقام عند عودة الاتصال.
fairness-refreshing = جارٍ التحديث…
fairness-summary = المحضر حتى الحدث { $seq } · الساعة { $time }
fairness-totals = الكلمات: { $turns } · مدة الكلام: { $time } · الوفود الحاضرة: { $count }
fairness-gini = معامل جيني: { $gini } (0: مساواة تامة، 1: صوت واحد)
fairness-spread = تفاوت التمثيل: { $spread } (أعلى نسبة على أدناها؛ 1: متكافئ)
fairness-requests = طلبات الكلمة: { $made } · أُجيبت { $served } · سُحبت { $withdrawn } · لم تُجب قط { $unserved }
fairness-counts = مخالفات الأسبقية: { $violations } · تدخلات الرئيس: { $interventions } (End للعرض)
fairness-percent = { $value }%
fairness-groups = مدة الكلام حسب فئة أصحاب المصلحة
fairness-legend = █ حصة مدة الكلام · ┃ حصة الوفود الحاضرة · النسبة: █ على ┃
fairness-waits = الانتظار من الطلب إلى الكلمة، حسب الفئة
fairness-delegations = مدة الكلام حسب الوفد (┃ حصة متساوية)
fairness-violations = مخالفات الأسبقية: { $count }
fairness-no-violations = لم يتكلم أحد مرتين بينما ينتظر غيره كلمته الأولى.
fairness-interventions = تدخلات الرئيس: { $count }
fairness-intervention = { $kind }: { $who } (من { $by }) — { $reason }
fairness-intervention-nobody = { $kind } (من { $by }) — { $reason }
fairness-no-reason = دون ذكر سبب
fairness-none = لا شيء.
fairness-undefined = غير محدد
fairness-col-group = الفئة
fairness-col-delegation = الوفد
fairness-col-turns = كلمات
fairness-col-time = المدة
fairness-col-share = حصة مدة الكلام
fairness-col-spoke = الكلام
fairness-col-present = الحضور
fairness-col-ratio = النسبة
fairness-col-asked = طلبات
fairness-col-served = أُجيبت
fairness-col-withdrawn = سُحبت
fairness-col-unserved = لم تُجب
fairness-col-median = الوسيط
fairness-col-p90 = المئين 90
fairness-line-title = أرقام الإنصاف في { $room }، { $window }، حتى الحدث { $seq }:
fairness-line-group = { $group }: الكلمات { $turns }، مدة الكلام { $time } ({ $share }؛ حصة الوفود الحاضرة { $presence }؛ النسبة { $ratio }). انتظار الكلمة: الوسيط { $median }، المئين 90 { $p90 }. لم تُجب قط: { $unserved }.
fairness-line-delegation = { $delegation } ({ $group }): الكلمات { $turns }، مدة الكلام { $time } ({ $share })؛ وسيط الانتظار { $median }.


## الإشعارات

notice-queued-offline = غير متصل: سيُرسل عند عودة الاتصال
notice-not-sent = { $count ->
    [zero] لم يفت إرسال أي طلب
    [one] تعذّر إرسال طلب واحد في الوقت المناسب
    [two] تعذّر إرسال طلبين في الوقت المناسب
    [few] تعذّر إرسال { $count } طلبات في الوقت المناسب
    [many] تعذّر إرسال { $count } طلبًا في الوقت المناسب
   *[other] تعذّر إرسال { $count } طلب في الوقت المناسب
}
notice-vote-counted = احتُسب صوتك
notice-removed = أُخرجت من هذه القاعة
notice-muted = أُسكتّ في هذه القاعة
notice-unmuted = يمكنك الكلام مجددًا
notice-your-floor = الكلمة لك
notice-ten-seconds = بقيت 10 ثوانٍ
notice-next-in-line = أنت التالي
notice-unknown-command = أمر غير معروف: /{ $name }
notice-no-room = لست في أي قاعة
notice-select-message = اختر رسالة أولًا: Esc ثم ↑ ↓ ثم Enter
notice-no-points = لا توجد نقطة نظام معلّقة
notice-no-poll = لا يوجد تصويت مفتوح
notice-nobody = لا أحد للاختيار
notice-queue-short = في القائمة أقل من متكلمَين
notice-bad-time = ليست مدة صحيحة: اكتب 90 أو 1:30 أو 2m
notice-interpret-own = لا يمكنك ترجمة إلا رسائلك
notice-not-done = لم يُنفَّذ شيء
notice-speak-auto = تُعرف لغة كل رسالة من نصها
notice-speak-lang = رسائلك من الآن بـ{ $lang } (/lang auto للتراجع)
notice-bad-lang = ليس رمز لغة: { $lang }
notice-no-action = لا شيء يمكن فعله بهذه الرسالة
notify-title = Dais
## وضع الأسطر (dais --line): سطر لكل حدث، لقارئات الشاشة.
line-connected = متصل بـ { $server } باسم { $who } ({ $role }). اكتب /help لعرض الأوامر.
line-offline = غير متصل ({ $server })؛ نعيد المحاولة.
line-room = القاعة: { $room } ({ $mode }).
line-floor = الكلمة لـ { $who }، والمتبقي { $time }.
line-speech = { $who } ({ $lang }): { $text }
line-alert = تنبيه: { $text }
line-vote-hint = صوّت بالأمر /vote ورقم الخيار.
line-pick = أجب برقم، أو بسطر فارغ للإلغاء:
line-prompt = أجب، أو اترك السطر فارغًا للإلغاء:
line-commands = الأوامر: { $commands }

## الإجراءات (لوحة الأوامر، المساعدة، المفاتيح)

cmd-help = مساعدة
cmd-palette = الإجراءات
cmd-quit = خروج
cmd-next-room = القاعة التالية
cmd-prev-room = القاعة السابقة
cmd-rooms = اختيار قاعة
cmd-language = لغة الواجهة
cmd-focus = التبديل بين الكتابة والمداولات
cmd-original = الأصل أو الترجمة
cmd-request-floor = طلب الكلمة
cmd-clarify = طرح سؤال توضيحي
cmd-withdraw = الانسحاب من القائمة
cmd-yield = التنازل عن الكلمة
cmd-yield-to = التنازل عن بقية الوقت لمندوب
cmd-pass = الاعتذار عن الكلمة
cmd-point-of-order = نقطة نظام
cmd-reply = حق الرد على الرسالة المختارة
cmd-vote = تصويت
cmd-interpret = ترجمة الرسالة المختارة
cmd-next = المتكلم التالي
cmd-grant = إعطاء الكلمة لـ…
cmd-revoke = سحب الكلمة
cmd-pause = إيقاف الوقت
cmd-resume = استئناف الوقت
cmd-mode = تحديد النمط
cmd-time-limit = تحديد مدة الكلمة
cmd-reorder = إعادة ترتيب القائمة
cmd-clear-queue = إفراغ قائمة المتكلمين
cmd-round = بدء جولة مداخلات
cmd-rule = البت في نقطة نظام
cmd-close-list = إغلاق قائمة المتكلمين
cmd-open-list = إعادة فتح القائمة
cmd-poll = فتح تصويت
cmd-close-poll = إغلاق التصويت
cmd-mute = إسكات مشارك
cmd-unmute = إعادة الكلام لمشارك
cmd-remove = إخراج مشارك
cmd-announce = إصدار بيان
cmd-new-room = إنشاء قاعة
cmd-lock = إقفال القاعة
cmd-unlock = فتح القاعة
cmd-close-room = إغلاق القاعة
cmd-search = البحث في المحضر
cmd-lang = لغة رسائلك
cmd-fairness = أرقام الإنصاف
lang-en = الإنجليزية
lang-fr = الفرنسية
lang-es = الإسبانية
lang-ru = الروسية
lang-zh = الصينية
lang-ar = العربية
lang-he = العبرية
lang-pt = البرتغالية
lang-de = الألمانية

## أخطاء الخادم

error-unknown = رفض الخادم: { $code }
error-config = تعذّرت قراءة ملف الإعدادات: { $detail }
error-no-token = لا يوجد رمز. استخدم ‎--token-file ملف أو DAIS_TOKEN أو token_file = "…" في { $path } أو ‎--guest اسم.
error-ca = تعذّر استخدام ملف جهة التصديق { $path }: { $detail }
error-no-roots = لا توجد جهات تصديق موثوقة على هذا النظام. استخدم ‎--ca ملف.
error-tls = تعذّر إعداد TLS: { $detail }
error-token-file = تعذّرت قراءة ملف الرمز { $path }: { $detail }
error-token-file-empty = ملف الرمز { $path } فارغ
warning-token-file-readable = يستطيع آخرون قراءة ملف الرمز { $path } (الصلاحيات { $mode }): نفّذ عليه chmod 600
error-unauthenticated = لم تسجّل الدخول بعد
error-already-authenticated = سجّلت الدخول بالفعل
error-unsupported-protocol = هذا العميل أقدم أو أحدث من أن يعمل مع الخادم
error-invalid-token = الرمز غير صالح
error-guests-not-allowed = لا يقبل هذا الخادم ضيوفًا
error-invalid-guest-name = اسم الضيف هذا غير مسموح
error-guest-name-reserved = هذا الاسم محجوز: اختر اسم ضيف آخر
error-login-throttled = محاولات دخول فاشلة كثيرة من هذا العنوان: انتظر ثم أعد المحاولة
error-malformed-json = تعذّر على الخادم قراءة طلب
error-not-an-object = تعذّر على الخادم قراءة طلب
error-missing-type = تعذّر على الخادم قراءة طلب
error-unknown-type = لا يعرف الخادم هذا الطلب
error-missing-field = نقص حقل في طلب
error-unknown-field = في الطلب حقل غير معروف
error-duplicate-field = تكرّر حقل في طلب
error-invalid-field = في الطلب قيمة خاطئة
error-binary-not-supported = لا يقبل الخادم إلا النص
error-text-too-long = النص طويل جدًا
error-empty-text = النص فارغ
error-invalid-text = يحتوي النص على محارف غير مسموح بها
error-invalid-language = رمز اللغة غير صالح
error-rate-limited = بسرعة كبيرة: انتظر لحظة
error-unknown-room = لا توجد قاعة بهذا الاسم
error-room-closed = القاعة مغلقة
error-room-locked = القاعة مقفلة
error-room-exists = توجد قاعة بهذا المعرّف
error-invalid-room = معرّف القاعة غير صالح
error-too-many-rooms = بلغ الخادم الحد الأقصى للقاعات
error-replay-in-progress = ما زالت القاعة قيد التحميل: أعد المحاولة بعد لحظة
error-not-joined = لست في تلك القاعة
error-removed = أُخرجت من هذه القاعة
error-muted = أنت مُسكت في هذه القاعة
error-forbidden = دورك لا يسمح بذلك
error-not-your-turn = ليست لك الكلمة
error-floor-free = لا أحد يملك الكلمة
error-not-floor-holder = لا يفعل هذا إلا صاحب الكلمة
error-already-has-floor = الكلمة لك بالفعل
error-cannot-hold-floor = لا يمكن إعطاء الكلمة لهذا المشارك
error-already-in-queue = أنت في القائمة بالفعل
error-not-in-queue = لست في القائمة
error-list-closed = قائمة المتكلمين مغلقة
error-queue-empty = قائمة المتكلمين فارغة
error-stale-turn = انتهت تلك الكلمة بالفعل
error-not-a-member = هذا المشارك ليس في القاعة
error-invalid-order = يجب أن يشمل الترتيب الجديد كل المنتظرين
error-round-in-progress = جولة جارية الآن
error-clock-paused = الوقت متوقف
error-clock-running = الوقت يجري
error-invalid-time-limit = مدة الكلمة هذه غير مسموحة
error-unknown-event = لا توجد هذه الرسالة
error-unknown-point = لا توجد نقطة النظام هذه
error-too-many-points = نقاط نظام معلّقة كثيرة جدًا
error-no-open-poll = لا يوجد تصويت مفتوح
error-poll-already-open = يوجد تصويت مفتوح بالفعل
error-invalid-option = لا يوجد هذا الخيار
error-invalid-poll = يحتاج التصويت إلى سؤال وخيارات
error-no-delegation = لا تصوّت باسم أي وفد
error-store-failed = تعذّر على الخادم الحفظ
error-unavailable = يتعذّر الآن الوصول إلى الخادم الذي يدير هذه القاعة؛ حاول مرة أخرى بعد لحظة
error-internal = خطأ داخلي في الخادم

## Command line (--help)

cli-about = عميل Dais الطرفي: حوار مُدار بست لغات
cli-usage = الاستخدام:
cli-options = الخيارات:
cli-options-placeholder = خيارات
cli-help = عرض هذه المساعدة
cli-version = عرض الإصدار
cli-server = عنوان الخادم، ws://‎ أو wss://‎ (DAIS_SERVER)
cli-token-file = قراءة الرمز من هذا الملف (مستحسن؛ chmod 600)
cli-token = رمز المشارك الخاص بك (DAIS_TOKEN)؛ يظهر في ps وسجل الأوامر: الأفضل ‎--token-file
cli-guest = الدخول ضيفًا بهذا الاسم إن كان الخادم يقبل الضيوف
cli-lang = لغة الواجهة: en، fr، es، ru، zh-CN، ar
cli-bidi = من يرتّب النص من اليمين إلى اليسار: app، terminal، off
cli-room = القاعة التي تُفتح أولًا
cli-speak = اللغة التي تتحدث بها (افتراضيًا: لغة الواجهة)
cli-config = ملف الإعدادات (DAIS_CONFIG)
cli-ca = لـ wss://‎: الوثوق بجهة التصديق هذه فقط (PEM) (DAIS_CA)
cli-line = وضع الأسطر لقارئات الشاشة (افتراضي مع TERM=dumb أو خارج الطرفية)
cli-quiet-clock = عرض الوقت المتبقي عند عتبات فقط لا كل ثانية
cli-no-mouse = ترك الفأرة للطرفية
cli-value-address = عنوان
cli-value-token = رمز
cli-value-lang = لغة
cli-value-who = نمط
cli-value-room = قاعة
cli-value-file = ملف
cli-value-name = اسم

## Mistakes on the command line

cli-error-unknown-argument = وسيط غير معروف: { $arg }
cli-error-did-you-mean = هل تقصد { $suggestion }؟
cli-error-value-required = يلزم تحديد قيمة للخيار { $arg }
cli-error-no-equals = اكتب قيمة الخيار { $arg } بعد علامة المساواة (=)
cli-error-invalid-value = قيمة غير صالحة للخيار { $arg }: { $value }
cli-error-possible-values = القيم الممكنة: { $values }
cli-error-unexpected-value = الخيار { $arg } لا يقبل قيمة، لكنه تلقى: { $value }
cli-error-repeated = لا يُستخدم الخيار { $arg } إلا مرة واحدة
cli-error-conflict = لا يمكن استخدام { $arg } مع { $other }
cli-error-missing-required = وسائط مطلوبة ناقصة: { $args }
cli-error-invalid-utf8 = أحد الوسائط ليس نصًا صالحًا بترميز UTF-8
cli-error-other = سطر الأوامر غير صالح
cli-error-try-help = لمزيد من المعلومات، شغّل { $command }
cli-error-list-separator = {"، "}

## Public pages and the record's export (dais-server). These messages are
## the server's: they stay together at the end of the file.

web-title = Dais: المحضر العلني للجلسات
web-rooms = القاعات العلنية
web-rooms-none = لا توجد قاعة علنية في الوقت الحالي.
web-record = محضر الجلسات
web-fairness = مؤشرات الإنصاف
web-language = اللغة
web-live = تظهر المداخلات الجديدة هنا أثناء انعقاد الجلسة.
web-no-events = لم يُسجَّل شيء بعد.
web-a-guest = ضيف
web-an-observer = مراقب
web-speaker = { $name } ({ $delegation })
web-spoke-in = (تكلم بـ{ $lang })
web-original = النص الأصلي ({ $lang })
web-interpretation = الترجمة الشفوية ({ $lang })
web-back = كل القاعات العلنية
web-chart-groups = حصة وقت الكلام وحصة الوفود الحاضرة، حسب فئة أصحاب المصلحة
web-chart-delegations = وقت الكلام حسب الوفد
ev-room-published = أتاح { $who } محضر هذه القاعة للعموم
ev-room-unpublished = حجب { $who } محضر هذه القاعة عن العموم
ev-vote-cast = صوّت { $who }
ev-interpretation = ترجمة إلى { $lang } من { $who }
export-title = محضر الجلسات: { $room }
export-room = القاعة { $id }.
export-exported = صُدِّر في { $time }. عدد الأحداث: { $count }.
export-proceedings = وقائع الجلسات
export-polls = عمليات التصويت
export-no-polls = لم يُغلق أي تصويت.
export-votes = الأصوات حسب الوفد: { $votes }
export-speaking-time = وقت الكلام
export-total = المجموع: { $time }
export-time = الوقت
export-none = (لا شيء)
export-reason = السبب: { $reason }
export-given-by = أعطاها { $who }
export-fairness = الإنصاف
fair-summary = عدد الكلمات: { $turns }. وقت الكلام: { $time }. الوفود الحاضرة: { $count }.
fair-whole-record = على امتداد المحضر كله.
fair-window = من { $from } إلى { $to }.
fair-gini = معامل جيني لوقت الكلام
fair-spread = تفاوت التمثيل (الأعلى إلى الأدنى)
fair-group = فئة أصحاب المصلحة
fair-delegation = الوفد
fair-turns = الكلمات
fair-speaking = وقت الكلام
fair-share = حصة وقت الكلام
fair-presence = حصة الوفود الحاضرة
fair-representation = التمثيل
fair-present = الوفود الحاضرة
fair-wait-median = وسيط الانتظار
fair-wait-p90 = الانتظار، المئين التسعون
fair-requests = الطلبات
fair-served = لُبّيت
fair-withdrawn = سُحبت
fair-unserved = لم تُلبَّ قط
fair-undefined = غير محدد
fair-violations = مخالفات الأسبقية
fair-violation = عادت الكلمة { $turn } إلى { $who } بينما كان { $waiting } ينتظر الكلام للمرة الأولى
fair-no-violations = لا شيء: لم يتكلم أحد مرتين بينما كان طالب للكلمة ينتظر دوره الأول.
fair-interventions = تدخلات الرئيس
fair-no-interventions = لا شيء.
intervention-revoke = سحب الكلمة
intervention-grant = إعطاء الكلمة خارج الترتيب
intervention-reorder = إعادة ترتيب القائمة
intervention-clear = إفراغ القائمة
intervention-mute = إسكات
intervention-remove = إخراج
intervention-ruling = قرار
