# Терминальный клиент Dais: русский язык.
# Каждая строка должна помещаться в терминал шириной 80 столбцов.

## Панели

pane-rooms = Залы
rooms-none = Залов пока нет
rooms-unread = { $count }
rooms-more = ещё +{ $count } · F9
pane-participants = Участники
members-online = { $online } в сети из { $count }
members-guests = { $count ->
    [one] { $count } гость
    [few] { $count } гостя
    [many] { $count } гостей
   *[other] { $count } гостя
}
members-more = ещё { $count }…
members-loading = Загрузка…
members-more-below = ↓ ещё { $count } · { $key }
pane-floor = Слово · { $mode }
pane-floor-empty = Слово
pane-transcript = { $room }
pane-transcript-empty = Заседание
transcript-no-room = Вы не в зале. Нажмите F9, чтобы выбрать зал.
transcript-connecting = Подключение к { $server }…
transcript-failed = { $server } не впустил вас: { $error }. Проверьте файл токена (--token-file) или имя гостя и запустите dais снова. Ctrl+Q — выход.
transcript-new = новое
transcript-new-below = Новых: { $count } ↓ End
transcript-loading = Загрузка прежних выступлений…
transcript-more = PgUp — прежние выступления
transcript-start = Начало протокола
echo-sending = отправка…
echo-failed = не отправлено

## Режимы

mode-speakers-list = Список ораторов
mode-round-robin = Выступления по кругу
mode-open = Свободная дискуссия
mode-suspended = Заседание прервано
mode-short-speakers-list = список
mode-short-round-robin = круг
mode-short-open = свободно
mode-short-suspended = пауза

## Группы заинтересованных сторон

stakeholder-government = Правительства
stakeholder-private-sector = Частный сектор
stakeholder-technical-community = Техническое сообщество
stakeholder-civil-society = Гражданское общество
stakeholder-academia = Научные круги
stakeholder-intergovernmental = Межправительственные
badge-government = ГОС
badge-private-sector = ЧАСТ
badge-technical-community = ТЕХ
badge-civil-society = ГО
badge-academia = НАУК
badge-intergovernmental = МПО
badge-guest = [гость]
name-guest = { $name } [гость]

## Роли

role-delegate = Делегат
role-moderator = Председатель
role-interpreter = Переводчик
role-observer = Наблюдатель

## Слово и список ораторов

class-reply = (ответ)
class-clarifying = (вопрос)
floor-paused = Часы остановлены
floor-stopped-offline = Часы стоят: нет связи
floor-free = Слово свободно
floor-limit = Время выступления: { $time }
floor-you-spoke = Вы выступали { $time }
floor-hint-request = F2 — попросить слово
queue-title = Список ораторов: { $count }
queue-closed = (закрыт)
queue-empty = Никто не ждёт
queue-you = вы
round-status = Круг { $round }: осталось { $count }
points-title = { $count ->
    [one] { $count } вопрос по порядку ведения
    [few] { $count } вопроса по порядку ведения
    [many] { $count } вопросов по порядку ведения
   *[other] { $count } вопроса по порядку ведения
}

## Заседание

ev-announcement = Объявление председателя ({ $who })
ev-point-of-order = По порядку ведения: { $who }
ev-ruling = { $upheld ->
    [yes] Решение { $who }: замечание принято
    [no] Решение { $who }: замечание отклонено
   *[none] Решение { $who }
}
ev-floor-granted = Слово предоставляется: { $who } ({ $name })
ev-floor-granted-reply = Право на ответ: { $who } ({ $name })
ev-floor-granted-clarifying = Уточняющий вопрос: { $who } ({ $name })
ev-floor-granted-one = Слово предоставляется: { $who }
ev-floor-granted-reply-one = Право на ответ: { $who }
ev-floor-granted-clarifying-one = Уточняющий вопрос: { $who }
ev-out-of-order = вне очереди
ev-turn-ended = { $who } закончил(а): { $reason }, { $time }
ev-floor-requested = { $who } просит слова
ev-reply-requested = { $who } просит права на ответ
ev-reply-requested-to = { $who } просит права на ответ { $author } ({ $time }): «{ $quote }»
ev-clarifying-requested = { $who } хочет задать уточняющий вопрос
ev-floor-withdrawn = { $who } снял(а) свою запись
ev-clock-paused = { $who } остановил(а) часы
ev-clock-resumed = { $who } запустил(а) часы
ev-mode-changed = { $who } установил(а) режим: { $mode }
ev-time-limit = { $who } установил(а) время выступления: { $time }
ev-queue-reordered = { $who } изменил(а) порядок ораторов
ev-queue-cleared = { $who } очистил(а) список ораторов
ev-list-closed = { $who } закрыл(а) список ораторов
ev-list-opened = { $who } вновь открыл(а) список ораторов
ev-round-started = { $count ->
    [one] { $who } открыл(а) круг { $round }: { $count } оратор
    [few] { $who } открыл(а) круг { $round }: { $count } оратора
    [many] { $who } открыл(а) круг { $round }: { $count } ораторов
   *[other] { $who } открыл(а) круг { $round }: { $count } оратора
}
ev-round-ended = Круг { $round } завершён
ev-poll-opened = { $who } открыл(а) голосование
ev-poll-closed = Голосование закрыто. Итоги:
poll-votes = { $count ->
    [one] { $count } голос
    [few] { $count } голоса
    [many] { $count } голосов
   *[other] { $count } голоса
}
ev-muted = { $who } лишён(а) слова
ev-unmuted = { $who } снова может говорить
ev-removed = { $who } удалён(а) из зала
ev-room-created = { $who } открыл(а) этот зал
ev-room-locked = { $who } закрыл(а) вход в зал
ev-room-unlocked = { $who } открыл(а) вход в зал
ev-room-closed = { $who } закрыл(а) зал
ev-service-restored = Работа возобновлена после { $cause ->
        [failover] сбоя сервера (зал принял { $node })
        [handover] плановой смены сервера (зал принял { $node })
       *[restart] перезапуска сервера
    }; зал не работал { $down }
ev-service-restored-paused = Часы выступающего остановлены, осталось { $remaining }; время не потеряно, председатель их запустит

reason-yielded = уступил(а) слово
reason-yielded-to = передал(а) оставшееся время
reason-passed = пропустил(а) очередь
reason-revoked = слово отозвано
reason-time-expired = время истекло
reason-next-called = председатель перешёл к следующему
reason-superseded = председатель дал слово другому
reason-holder-left = покинул(а) зал
reason-mode-changed = режим изменён

interpretation-shown = Перевод (оригинал: { $lang }); t — оригинал
interpretation-original = Оригинал; t — перевод

poll-banner = Голосование: { $question }
poll-hint = F6 — голосовать
poll-count = { $number } { $option }: { $count }
poll-result = { $option }: { $votes }
poll-voted = ваша делегация проголосовала (F6 — изменить)
poll-option-support = За
poll-option-object = Против
poll-option-abstain = Воздержался

## Строка состояния

status-online = Подключено
status-online-at = Подключено к { $server }
status-connecting = Подключение к { $server } (попытка { $attempt })…
status-offline = { $seconds ->
    [one] Нет связи ({ $server }), повтор через { $seconds } секунду
    [few] Нет связи ({ $server }), повтор через { $seconds } секунды
    [many] Нет связи ({ $server }), повтор через { $seconds } секунд
   *[other] Нет связи ({ $server }), повтор через { $seconds } секунды
}
status-busy = { $seconds ->
    [one] { $server } перегружен (слишком много подключений), повтор через { $seconds } секунду
    [few] { $server } перегружен (слишком много подключений), повтор через { $seconds } секунды
    [many] { $server } перегружен (слишком много подключений), повтор через { $seconds } секунд
   *[other] { $server } перегружен (слишком много подключений), повтор через { $seconds } секунды
}
status-unsent = { $count ->
    [one] { $count } сообщение ждёт отправки
    [few] { $count } сообщения ждут отправки
    [many] { $count } сообщений ждут отправки
   *[other] { $count } сообщения ждут отправки
}
status-hint = F1 справка · Ctrl+P действия

## Ввод

input-title = Сообщение · Enter — отправить · Alt+Enter — новая строка
input-title-unfocused = Сообщение · печатайте или Esc, чтобы писать
input-placeholder = Печатайте, чтобы написать сообщение

## Окна

palette-title = Действия
prompt-title = Enter — подтвердить · Esc — отмена
reorder-title = Порядок ораторов
reorder-hint = Shift+↑↓ или +/- — переместить · Enter — сохранить
help-title = Справка · Esc — закрыть
help-title-position = Справка · { $from }–{ $to } из { $count } · ↑↓ PgUp PgDn · Esc
search-title = Поиск в протоколе
search-hint = Введите слова · ↑ раньше · ↓ позже · Enter
search-status = Найдено { $at } из { $count } · ↑ раньше · ↓ позже · Enter
search-none = Ничего не найдено
help-section-keys = Ввод и чтение
help-send = Отправить сообщение
help-newline = Новая строка в сообщении
help-history = Вспомнить отправленное
help-complete = Дополнить имя или /команду
help-end = К последнему сообщению
help-focus = Перейти из поля ввода в протокол
help-select = Выбрать сообщение
help-scroll = Прокрутить заседание
help-top-bottom = Начало и конец заседания
help-scroll-members = Прокрутить участников
help-section-proceedings = В протоколе
help-message-actions = Действия с выбранным сообщением
help-back = Вернуться к вводу (или просто печатайте)
help-slash = Команды: /next, /announce текст…
help-section-delegate = Делегаты
help-section-chair = Председатель
help-letters = Буквы — всегда текст, а не действия: клавиши выше, Ctrl+P или /команда.
too-small = Окно { $current }. Dais нужно не меньше { $needed }: увеличьте окно.

pick-room = Выберите зал
pick-language = Язык интерфейса
pick-point = Какое замечание?
pick-point-all = Все ожидающие замечания сразу
pick-vote = Ваш голос
pick-mode = Режим зала
pick-participant = Выберите участника
pick-speak = Язык ваших сообщений
pick-speak-auto = Определять по тексту
pick-interpret-into = Переводить на
pick-message-action = Это сообщение
action-reply = Попросить права на ответ
action-interpret = Перевести его
action-original = Оригинал или перевод
pick-upheld = Замечание принято?
confirm-title = Подтвердить?
confirm-keys = д: да · любая другая клавиша: нет
# Буквы, означающие «да», кроме y.
confirm-yes-letters = дД
confirm-yield = Уступить слово сейчас?
confirm-yield-to = Уступить оставшееся время { $who }?
confirm-pass = Пропустить свою очередь?
confirm-withdraw = Выйти из списка ораторов? Ваш номер { $place }.
confirm-next = Завершить выступление { $who } и дать слово следующему оратору?
confirm-revoke = Лишить слова { $who }?
confirm-round = Начать круг выступлений?
confirm-round-cut = Начать круг выступлений? { $who } лишится слова.
confirm-clear-queue = Очистить список ораторов? Ожидают: { $count }.
confirm-close-poll = Закрыть голосование «{ $question }»?
confirm-remove = Удалить { $who } из зала?
confirm-close-room = Закрыть зал { $room }?
ruling-upheld = Принято
ruling-rejected = Отклонено
ruling-no-decision = Без решения

prompt-point-of-order = Ваше замечание по порядку ведения (необязательно):
prompt-interpret = Перевод выбранного сообщения:
prompt-interpret-into = Перевод (язык: { $lang }) текста:
prompt-announce = Объявление для зала:
prompt-time-limit = Время выступления (90, 1:30 или 2m):
prompt-poll-question = Вопрос голосования:
prompt-poll-options = Варианты через ; (пусто: за; против; воздержался)
prompt-ruling = Ваше решение по замечанию:
prompt-room-id = Идентификатор нового зала (например, cyber-security):
prompt-room-title = Название нового зала:

## Показатели равенства (Ctrl+T, /fairness) по залу.

fairness-title = Равенство · { $room } · { $window }
fairness-keys = Esc — закрыть · Enter — обновить · Tab: { $next } · ↑↓ PgUp PgDn
fairness-position = { $from }–{ $to } из { $count }
fairness-window-whole = весь протокол
fairness-window-last = последние { $minutes } мин
fairness-bad-window = Это не период: { $window }. Напишите /fairness, /fairness 15m или /fairness 1h
fairness-loading = Запрашиваем показатели у сервера…
fairness-offline = Нет связи: показатели придут, когда связь восстановится.
fairness-refreshing = обновление…
fairness-summary = Протокол до события { $seq } · на { $time }
fairness-totals = Выступлений: { $turns } · Время выступлений: { $time } · Делегаций присутствует: { $count }
fairness-gini = Коэффициент Джини: { $gini } (0 — поровну, 1 — один голос)
fairness-spread = Разброс представленности: { $spread } (наибольшее отношение к наименьшему; 1 — ровно)
fairness-requests = Просьб о слове: { $made } · удовлетворено { $served } · отозвано { $withdrawn } · так и не дано { $unserved }
fairness-counts = Нарушения очерёдности: { $violations } · Вмешательства председателя: { $interventions } (End — подробнее)
fairness-percent = { $value } %
fairness-groups = Время выступлений по группам заинтересованных сторон
fairness-legend = █ доля времени выступлений · ┃ доля присутствующих делегаций · Отношение: █ к ┃
fairness-waits = Ожидание от просьбы до слова, по группам
fairness-delegations = Время выступлений по делегациям (┃ равная доля)
fairness-violations = Нарушения очерёдности: { $count }
fairness-no-violations = Никто не выступил дважды, пока другой ждал первого слова.
fairness-interventions = Вмешательства председателя: { $count }
fairness-intervention = { $kind }: { $who } (председатель { $by }) — { $reason }
fairness-intervention-nobody = { $kind } (председатель { $by }) — { $reason }
fairness-no-reason = причина не указана
fairness-none = Нет.
fairness-undefined = не определено
fairness-col-group = Группа
fairness-col-delegation = Делегация
fairness-col-turns = Выст.
fairness-col-time = Время
fairness-col-share = Доля времени выступлений
fairness-col-spoke = Говорили
fairness-col-present = Присут.
fairness-col-ratio = Отн.
fairness-col-asked = Просьб
fairness-col-served = Дано
fairness-col-withdrawn = Отозв.
fairness-col-unserved = Не дано
fairness-col-median = Медиана
fairness-col-p90 = 90-й пр.
fairness-line-title = Показатели равенства: { $room }, { $window }, до события { $seq }:
fairness-line-group = { $group }: выступлений { $turns }, время { $time } ({ $share }; доля присутствующих делегаций { $presence }; отношение { $ratio }). Ожидание слова: медиана { $median }, 90-й процентиль { $p90 }. Так и не дано: { $unserved }.
fairness-line-delegation = { $delegation } ({ $group }): выступлений { $turns }, время { $time } ({ $share }); медиана ожидания { $median }.


## Уведомления

notice-queued-offline = Нет связи: отправим, когда связь вернётся
notice-not-sent = { $count ->
    [one] { $count } запрос не удалось вовремя отправить
    [few] { $count } запроса не удалось вовремя отправить
    [many] { $count } запросов не удалось вовремя отправить
   *[other] { $count } запроса не удалось вовремя отправить
}
notice-vote-counted = Ваш голос учтён
notice-removed = Вас удалили из этого зала
notice-muted = Вас лишили слова в этом зале
notice-unmuted = Вы снова можете говорить
notice-your-floor = Вам предоставлено слово
notice-ten-seconds = Осталось 10 секунд
notice-next-in-line = Вы следующий
notice-unknown-command = Неизвестная команда: /{ $name }
notice-no-room = Вы не в зале
notice-select-message = Сначала выберите сообщение: Esc, ↑ ↓, затем Enter
notice-no-points = Нет ожидающих замечаний по порядку ведения
notice-no-poll = Голосование не открыто
notice-nobody = Выбирать некого
notice-queue-short = В списке меньше двух ораторов
notice-bad-time = Это не время: напишите 90, 1:30 или 2m
notice-interpret-own = Можно переводить только свои сообщения
notice-not-done = Ничего не сделано
notice-speak-auto = Язык каждого сообщения определяется по тексту
notice-speak-lang = Теперь ваши сообщения на языке: { $lang } (/lang auto — отменить)
notice-bad-lang = Это не код языка: { $lang }
notice-no-action = С этим сообщением ничего сделать нельзя
notify-title = Dais
## Построчный режим (dais --line): строка на событие, для экранных чтецов.
line-connected = Подключено к { $server } как { $who } ({ $role }). /help — список команд.
line-offline = Нет связи ({ $server }); пробуем снова.
line-room = Зал: { $room } ({ $mode }).
line-floor = Слово у { $who }, осталось { $time }.
line-speech = { $who } ({ $lang }): { $text }
line-alert = Внимание: { $text }
line-vote-hint = Голосуйте командой /vote с номером варианта.
line-pick = Ответьте номером или пустой строкой для отмены:
line-prompt = Ответьте или оставьте строку пустой для отмены:
line-commands = Команды: { $commands }

## Действия (палитра, справка, клавиши)

cmd-help = Справка
cmd-palette = Действия
cmd-quit = Выход
cmd-next-room = Следующий зал
cmd-prev-room = Предыдущий зал
cmd-rooms = Выбрать зал
cmd-language = Язык интерфейса
cmd-focus = Переключить ввод / заседание
cmd-original = Оригинал или перевод
cmd-request-floor = Попросить слова
cmd-clarify = Задать уточняющий вопрос
cmd-withdraw = Снять запись
cmd-yield = Уступить слово
cmd-yield-to = Передать время делегату
cmd-pass = Пропустить очередь
cmd-point-of-order = По порядку ведения
cmd-reply = Право на ответ выбранному
cmd-vote = Голосовать
cmd-interpret = Перевести выбранное сообщение
cmd-next = Следующий оратор
cmd-grant = Дать слово…
cmd-revoke = Отозвать слово
cmd-pause = Остановить часы
cmd-resume = Запустить часы
cmd-mode = Выбрать режим
cmd-time-limit = Время выступления
cmd-reorder = Изменить порядок ораторов
cmd-clear-queue = Очистить список ораторов
cmd-round = Начать круг выступлений
cmd-rule = Решение по замечанию
cmd-close-list = Закрыть список ораторов
cmd-open-list = Вновь открыть список
cmd-poll = Открыть голосование
cmd-close-poll = Закрыть голосование
cmd-mute = Лишить слова
cmd-unmute = Вернуть слово
cmd-remove = Удалить участника
cmd-announce = Объявление
cmd-new-room = Создать зал
cmd-lock = Закрыть вход в зал
cmd-unlock = Открыть вход в зал
cmd-close-room = Закрыть зал
cmd-search = Поиск в протоколе
cmd-lang = Язык ваших сообщений
cmd-fairness = Показатели равенства
lang-en = английский
lang-fr = французский
lang-es = испанский
lang-ru = русский
lang-zh = китайский
lang-ar = арабский
lang-he = иврит
lang-pt = португальский
lang-de = немецкий

## Ошибки сервера

error-unknown = Сервер отказал: { $code }
error-config = Не удалось прочитать файл настроек: { $detail }
error-no-token = Нет токена. Укажите --token-file ФАЙЛ, DAIS_TOKEN, token_file = "…" в { $path } или --guest ИМЯ.
error-ca = Не удалось использовать файл ЦС { $path }: { $detail }
error-no-roots = В системе нет доверенных центров сертификации. Укажите --ca ФАЙЛ.
error-tls = Не удалось настроить TLS: { $detail }
error-token-file = Не удалось прочитать файл токена { $path }: { $detail }
error-token-file-empty = Файл токена { $path } пуст
warning-token-file-readable = Файл токена { $path } могут читать другие (режим { $mode }): выполните для него chmod 600
error-unauthenticated = Вы ещё не вошли
error-already-authenticated = Вы уже вошли
error-unsupported-protocol = Клиент слишком старый или новый для этого сервера
error-invalid-token = Токен недействителен
error-guests-not-allowed = Этот сервер не принимает гостей
error-invalid-guest-name = Такое имя гостя не допускается
error-guest-name-reserved = Это имя зарезервировано: выберите другое имя гостя
error-login-throttled = Слишком много неудачных входов с этого адреса: подождите и повторите
error-malformed-json = Сервер не смог прочитать запрос
error-not-an-object = Сервер не смог прочитать запрос
error-missing-type = Сервер не смог прочитать запрос
error-unknown-type = Сервер не знает такого запроса
error-missing-field = В запросе не хватало поля
error-unknown-field = В запросе было неизвестное поле
error-duplicate-field = В запросе одно поле встретилось дважды
error-invalid-field = В запросе было неверное значение
error-binary-not-supported = Сервер принимает только текст
error-text-too-long = Текст слишком длинный
error-empty-text = Текст пуст
error-invalid-text = Текст содержит недопустимые символы
error-invalid-language = Неверный код языка
error-rate-limited = Слишком быстро: подождите немного
error-unknown-room = Такого зала нет
error-room-closed = Зал закрыт
error-room-locked = Вход в зал закрыт
error-room-exists = Зал с таким идентификатором уже есть
error-invalid-room = Неверный идентификатор зала
error-too-many-rooms = На сервере уже максимум залов
error-replay-in-progress = Зал ещё загружается: повторите через мгновение
error-not-joined = Вы не в этом зале
error-removed = Вас удалили из этого зала
error-muted = Вы лишены слова в этом зале
error-forbidden = Ваша роль этого не позволяет
error-not-your-turn = У вас нет слова
error-floor-free = Слово никому не предоставлено
error-not-floor-holder = Это может только выступающий
error-already-has-floor = Слово уже у вас
error-cannot-hold-floor = Этому участнику нельзя предоставить слово
error-already-in-queue = Вы уже в списке
error-not-in-queue = Вас нет в списке
error-list-closed = Список ораторов закрыт
error-queue-empty = Список ораторов пуст
error-stale-turn = Это выступление уже закончилось
error-not-a-member = Этого участника нет в зале
error-invalid-order = Новый порядок должен включать всех в списке
error-round-in-progress = Идёт круг выступлений
error-clock-paused = Часы остановлены
error-clock-running = Часы идут
error-invalid-time-limit = Такое время выступления недопустимо
error-unknown-event = Такого сообщения нет
error-unknown-point = Такого замечания нет
error-too-many-points = Слишком много ожидающих замечаний по порядку ведения
error-no-open-poll = Голосование не открыто
error-poll-already-open = Голосование уже открыто
error-invalid-option = Такого варианта нет
error-invalid-poll = Нужны вопрос и варианты ответа
error-no-delegation = Вы не голосуете ни за одну делегацию
error-store-failed = Сервер не смог это сохранить
error-unavailable = Сервер, который ведёт эту комнату, сейчас недоступен; повторите чуть позже
error-internal = Внутренняя ошибка сервера

## Command line (--help)

cli-about = Терминальный клиент Dais: модерируемый диалог на шести языках
cli-usage = Использование:
cli-options = Параметры:
cli-options-placeholder = ПАРАМЕТРЫ
cli-help = Показать эту справку
cli-version = Показать версию
cli-server = Адрес сервера, ws:// или wss:// (DAIS_SERVER)
cli-token-file = Читать токен из этого файла (рекомендуется; chmod 600)
cli-token = Ваш токен участника (DAIS_TOKEN); виден в ps и в истории команд: лучше --token-file
cli-guest = Войти гостем под этим именем, если сервер допускает гостей
cli-lang = Язык интерфейса: en, fr, es, ru, zh-CN, ar
cli-bidi = Кто упорядочивает арабский и иврит: app, terminal, off
cli-room = Зал, который открыть первым
cli-speak = Язык ваших выступлений (по умолчанию: язык интерфейса)
cli-config = Файл настроек (DAIS_CONFIG)
cli-ca = Для wss:// доверять только этому ЦС (PEM) (DAIS_CA)
cli-line = Построчный режим для экранных чтецов (по умолчанию при TERM=dumb или вне терминала)
cli-quiet-clock = Показывать оставшееся время только на порогах, а не каждую секунду
cli-no-mouse = Оставить мышь терминалу
cli-value-address = АДРЕС
cli-value-token = ТОКЕН
cli-value-lang = ЯЗЫК
cli-value-who = РЕЖИМ
cli-value-room = ЗАЛ
cli-value-file = ФАЙЛ
cli-value-name = ИМЯ

## Mistakes on the command line

cli-error-unknown-argument = Неизвестный аргумент: { $arg }
cli-error-did-you-mean = Возможно, вы имели в виду { $suggestion }?
cli-error-value-required = Не указано значение для { $arg }
cli-error-no-equals = Укажите значение { $arg } после знака равенства (=)
cli-error-invalid-value = Недопустимое значение для { $arg }: { $value }
cli-error-possible-values = Допустимые значения: { $values }
cli-error-unexpected-value = Параметр { $arg } не принимает значений, но получено: { $value }
cli-error-repeated = Параметр { $arg } можно указать только один раз
cli-error-conflict = { $arg } нельзя использовать вместе с { $other }
cli-error-missing-required = Не указаны обязательные аргументы: { $args }
cli-error-invalid-utf8 = Один из аргументов не является текстом в UTF-8
cli-error-other = Недопустимая командная строка
cli-error-try-help = Чтобы узнать больше, выполните { $command }
cli-error-list-separator = {", "}

## Public pages and the record's export (dais-server). These messages are
## the server's: they stay together at the end of the file.

web-title = Dais: открытый отчёт о заседаниях
web-rooms = Открытые залы
web-rooms-none = Сейчас нет открытых залов.
web-record = Отчёт о заседаниях
web-fairness = Показатели справедливости
web-language = Язык
web-live = Новые выступления появляются здесь по ходу заседания.
web-no-events = Пока ничего не записано.
web-a-guest = гость
web-an-observer = наблюдатель
web-speaker = { $name } ({ $delegation })
web-spoke-in = (говорит на языке: { $lang })
web-original = Оригинал ({ $lang })
web-interpretation = Перевод ({ $lang })
web-back = Все открытые залы
web-chart-groups = Доля времени выступлений и доля присутствующих делегаций по группам заинтересованных сторон
web-chart-delegations = Время выступлений по делегациям
ev-room-published = { $who } открыл(а) отчёт этого зала для публики
ev-room-unpublished = { $who } закрыл(а) отчёт этого зала для публики
ev-vote-cast = { $who } проголосовал(а)
ev-interpretation = Перевод ({ $lang }), переводчик: { $who }
export-title = Отчёт о заседаниях: { $room }
export-room = Зал { $id }.
export-exported = Выгружено { $time }. Событий: { $count }.
export-proceedings = Ход заседаний
export-polls = Голосования
export-no-polls = Ни одно голосование не было закрыто.
export-votes = Голоса делегаций: { $votes }
export-speaking-time = Время выступлений
export-total = Всего: { $time }
export-time = Время
export-none = (нет)
export-reason = причина: { $reason }
export-given-by = предоставил(а) { $who }
export-fairness = Справедливость
fair-summary = Выступлений: { $turns }. Время выступлений: { $time }. Присутствующих делегаций: { $count }.
fair-whole-record = За весь отчёт.
fair-window = С { $from } по { $to }.
fair-gini = Коэффициент Джини времени выступлений
fair-spread = Разброс представленности (наибольшая к наименьшей)
fair-group = Группа заинтересованных сторон
fair-delegation = Делегация
fair-turns = Выступления
fair-speaking = Время выступлений
fair-share = Доля времени выступлений
fair-presence = Доля присутствующих делегаций
fair-representation = Представленность
fair-present = Присутствующие делегации
fair-wait-median = Медиана ожидания
fair-wait-p90 = Ожидание, 90-й процентиль
fair-requests = Заявки
fair-served = Удовлетворены
fair-withdrawn = Отозваны
fair-unserved = Не удовлетворены
fair-undefined = не определено
fair-violations = Нарушения очерёдности
fair-violation = Выступление { $turn } снова досталось { $who }, пока { $waiting } ждал(а) первого слова
fair-no-violations = Нет: никто не выступил дважды, пока кто-то из записавшихся ждал первого слова.
fair-interventions = Вмешательства председателя
fair-no-interventions = Нет.
intervention-revoke = Слово отобрано
intervention-grant = Слово вне очереди
intervention-reorder = Очередь изменена
intervention-clear = Очередь очищена
intervention-mute = Лишён(а) слова
intervention-remove = Удалён(а)
intervention-ruling = Решение
