# Dais 终端客户端：简体中文。
# 每行须能放进 80 列的终端（一个汉字占两列）。

## 面板

pane-rooms = 会议室
rooms-none = 暂无会议室
rooms-unread = { $count }
rooms-more = 另有 { $count } 个 · F9
pane-participants = 与会者
members-online = { $count } 人中 { $online } 人在线
members-guests = { $count } 位访客
members-more = 还有 { $count } 人…
members-loading = 正在加载…
members-more-below = ↓ 另有 { $count } 人 · { $key }
pane-floor = 发言 · { $mode }
pane-floor-empty = 发言
pane-transcript = { $room }
pane-transcript-empty = 会议记录
transcript-no-room = 您尚未进入会议室。按 F9 选择。
transcript-connecting = 正在连接 { $server }…
transcript-failed = { $server } 拒绝了登录：{ $error }。请检查令牌文件（--token-file）或访客名称，然后重新启动 dais。按 Ctrl+Q 退出。
transcript-new = 新消息
transcript-new-below = { $count } 条新消息 ↓ End
transcript-loading = 正在加载更早的发言…
transcript-more = 按 PgUp 查看更早的发言
transcript-start = 记录开始
echo-sending = 发送中…
echo-failed = 未发送

## 模式

mode-speakers-list = 发言名单
mode-round-robin = 轮流发言
mode-open = 自由讨论
mode-suspended = 会议暂停
mode-short-speakers-list = 名单
mode-short-round-robin = 轮流
mode-short-open = 自由
mode-short-suspended = 暂停

## 利益相关方群体

stakeholder-government = 政府
stakeholder-private-sector = 私营部门
stakeholder-technical-community = 技术界
stakeholder-civil-society = 民间社会
stakeholder-academia = 学术界
stakeholder-intergovernmental = 政府间组织
badge-government = 政府
badge-private-sector = 私营
badge-technical-community = 技术
badge-civil-society = 民间
badge-academia = 学术
badge-intergovernmental = 政府间
badge-guest = [访客]
name-guest = { $name } [访客]

## 角色

role-delegate = 代表
role-moderator = 主席
role-interpreter = 口译员
role-observer = 观察员

## 发言与发言名单

class-reply = （答辩）
class-clarifying = （澄清问题）
floor-paused = 计时已暂停
floor-stopped-offline = 离线期间计时已停止
floor-free = 目前无人发言
floor-limit = 每次发言时限：{ $time }
floor-you-spoke = 您已发言 { $time }
floor-hint-request = 按 F2 请求发言
queue-title = 发言名单：{ $count } 人等候
queue-closed = （已截止）
queue-empty = 无人等候
queue-you = 您
round-status = 第 { $round } 轮：还有 { $count } 人
points-title = { $count } 个程序问题

## 会议记录

ev-announcement = 主席通告（{ $who }）
ev-point-of-order = 程序问题：{ $who }
ev-ruling = { $upheld ->
    [yes] { $who } 裁定：程序问题成立
    [no] { $who } 裁定：程序问题不成立
   *[none] { $who } 作出裁定
}
ev-floor-granted = 请 { $who } 发言（{ $name }）
ev-floor-granted-reply = 答辩权：{ $who }（{ $name }）
ev-floor-granted-clarifying = 澄清问题：{ $who }（{ $name }）
ev-floor-granted-one = 请 { $who } 发言
ev-floor-granted-reply-one = 答辩权：{ $who }
ev-floor-granted-clarifying-one = 澄清问题：{ $who }
ev-out-of-order = 未按顺序
ev-turn-ended = { $who } 发言结束：{ $reason }，{ $time }
ev-floor-requested = { $who } 请求发言
ev-reply-requested = { $who } 请求行使答辩权
ev-reply-requested-to = { $who } 请求答辩权，回应 { $author }（{ $time }）：“{ $quote }”
ev-clarifying-requested = { $who } 有一个澄清问题
ev-floor-withdrawn = { $who } 撤回了发言请求
ev-clock-paused = { $who } 暂停了计时
ev-clock-resumed = { $who } 恢复了计时
ev-mode-changed = { $who } 将模式设为：{ $mode }
ev-time-limit = { $who } 将发言时限设为：{ $time }
ev-queue-reordered = { $who } 调整了发言顺序
ev-queue-cleared = { $who } 清空了发言名单
ev-list-closed = { $who } 截止了发言名单
ev-list-opened = { $who } 重新开放了发言名单
ev-round-started = { $who } 开始第 { $round } 轮：共 { $count } 人
ev-round-ended = 第 { $round } 轮结束
ev-poll-opened = { $who } 发起了表决
ev-poll-closed = 表决结束。结果：
poll-votes = { $count } 票
ev-muted = { $who } 已被禁言
ev-unmuted = { $who } 可以再次发言
ev-removed = { $who } 已被移出会议室
ev-room-created = { $who } 开设了本会议室
ev-room-locked = { $who } 锁定了会议室
ev-room-unlocked = { $who } 解锁了会议室
ev-room-closed = { $who } 关闭了会议室
ev-service-restored = { $cause ->
        [failover] 服务器故障后已恢复（{ $node } 接管了会议室）
        [handover] 按计划更换服务器后已恢复（{ $node } 接管了会议室）
       *[restart] 服务器重启后已恢复
    }，会议室中断了 { $down }
ev-service-restored-paused = 发言人的计时已停止，剩余 { $remaining }，时间不会损失；由主席恢复计时

reason-yielded = 交还发言权
reason-yielded-to = 让出剩余时间
reason-passed = 放弃发言
reason-revoked = 发言权被收回
reason-time-expired = 时间已到
reason-next-called = 主席请下一位
reason-superseded = 主席另请他人
reason-holder-left = 离开会议室
reason-mode-changed = 模式已更改

interpretation-shown = 译文（原文为 { $lang }）；按 t 查看原文
interpretation-original = 原文；按 t 查看译文

poll-banner = 表决：{ $question }
poll-hint = 按 F6 投票
poll-count = { $number } { $option }：{ $count }
poll-result = { $option }：{ $votes }
poll-voted = 贵代表团已投票（按 F6 更改）
poll-option-support = 赞成
poll-option-object = 反对
poll-option-abstain = 弃权

## 状态栏

status-online = 已连接
status-online-at = 已连接 { $server }
status-connecting = 正在连接 { $server }（第 { $attempt } 次）…
status-offline = 已断开（{ $server }），{ $seconds } 秒后重试
status-busy = { $server } 繁忙（连接过多），{ $seconds } 秒后重试
status-unsent = { $count } 条消息等待发送
status-hint = F1 帮助 · Ctrl+P 操作

## 输入

input-title = 消息 · Enter 发送 · Alt+Enter 换行
input-title-unfocused = 消息 · 直接输入或按 Esc 开始写
input-placeholder = 输入文字即可写消息

## 窗口

palette-title = 操作
prompt-title = Enter 确认 · Esc 取消
reorder-title = 调整发言顺序
reorder-hint = Shift+↑↓ 或 +/- 移动 · Enter 保存
help-title = 帮助 · Esc 关闭
help-title-position = 帮助 · 第 { $from }–{ $to } 行，共 { $count } 行 · ↑↓ PgUp PgDn · Esc
search-title = 搜索会议记录
search-hint = 输入要找的词 · ↑ 更早 · ↓ 更晚 · Enter
search-status = 第 { $at } 条，共 { $count } 条 · ↑ 更早 · ↓ 更晚 · Enter
search-none = 没有结果
help-section-keys = 输入与阅读
help-send = 发送消息
help-newline = 在消息中换行
help-history = 调出已发送的内容
help-complete = 补全姓名或 /命令
help-end = 回到最新消息
help-focus = 离开输入框，转到会议记录
help-select = 选择一条消息
help-scroll = 滚动会议记录
help-top-bottom = 会议记录的开头和结尾
help-scroll-members = 滚动与会者列表
help-section-proceedings = 在会议记录中
help-message-actions = 对所选消息的操作
help-back = 回到输入（或直接输入）
help-slash = 斜杠命令：/next、/announce 文本…
help-section-delegate = 代表
help-section-chair = 主席
help-letters = 字母永远只是文字，不会触发操作：请用上面的按键、Ctrl+P 或 /命令。
too-small = 窗口为 { $current }。Dais 至少需要 { $needed }，请放大窗口。

pick-room = 选择会议室
pick-language = 界面语言
pick-point = 哪一个程序问题？
pick-point-all = 一并裁决所有待处理的程序问题
pick-vote = 您的投票
pick-mode = 会议室模式
pick-participant = 选择与会者
pick-speak = 您发言所用的语言
pick-speak-auto = 根据文字判断
pick-interpret-into = 译为
pick-message-action = 这条消息
action-reply = 请求对其答辩
action-interpret = 翻译这条消息
action-original = 原文或译文
pick-upheld = 程序问题是否成立？
confirm-title = 确定吗？
confirm-keys = y：是 · 其他任意键：否
# 除 y 以外表示“是”的字符。
confirm-yes-letters = Y是
confirm-yield = 现在让出发言权？
confirm-yield-to = 将剩余时间让给 { $who }？
confirm-pass = 放弃本轮发言？
confirm-withdraw = 退出发言名单？您排在第 { $place } 位。
confirm-next = 结束 { $who } 的发言并请下一位发言？
confirm-revoke = 收回 { $who } 的发言权？
confirm-round = 开始轮流发言？
confirm-round-cut = 开始轮流发言？{ $who } 将失去发言权。
confirm-clear-queue = 清空发言名单？等候人数：{ $count }。
confirm-close-poll = 结束表决“{ $question }”？
confirm-remove = 将 { $who } 移出会场？
confirm-close-room = 关闭会场 { $room }？
ruling-upheld = 成立
ruling-rejected = 不成立
ruling-no-decision = 不作决定

prompt-point-of-order = 您的程序问题（可不填）：
prompt-interpret = 所选消息的译文：
prompt-interpret-into = 译为{ $lang }的内容：
prompt-announce = 向会议室发布通告：
prompt-time-limit = 每次发言时限（90、1:30 或 2m）：
prompt-poll-question = 表决的问题：
prompt-poll-options = 选项以 ; 分隔（留空：赞成; 反对; 弃权）
prompt-ruling = 您对程序问题的裁定：
prompt-room-id = 新会议室的标识（如 cyber-security）：
prompt-room-title = 新会议室的名称：

## 公平性视图（Ctrl+T，/fairness）：本会议室的公平性数据。

fairness-title = 公平性 · { $room } · { $window }
fairness-keys = Esc 关闭 · Enter 刷新 · Tab：{ $next } · ↑↓ PgUp PgDn
fairness-position = 第 { $from }–{ $to } 行，共 { $count } 行
fairness-window-whole = 全部记录
fairness-window-last = 最近 { $minutes } 分钟
fairness-bad-window = 时间段格式有误：{ $window }。请写 /fairness、/fairness 15m 或 /fairness 1h
fairness-loading = 正在向服务器请求数据…
fairness-offline = 离线：连接恢复后将显示数据。
fairness-refreshing = 正在刷新…
fairness-summary = 记录截至第 { $seq } 个事件 · { $time }
fairness-totals = 发言次数：{ $turns } · 发言时间：{ $time } · 出席代表团：{ $count }
fairness-gini = 基尼系数：{ $gini }（0：完全平等，1：一家之言）
fairness-spread = 代表性离散度：{ $spread }（最高比率除以最低比率；1：均衡）
fairness-requests = 发言请求：{ $made } · 已给予 { $served } · 已撤回 { $withdrawn } · 从未给予 { $unserved }
fairness-counts = 违反先后顺序：{ $violations } · 主席的干预：{ $interventions }（End：查看）
fairness-percent = { $value }%
fairness-groups = 各利益相关方群体的发言时间
fairness-legend = █ 发言时间占比 · ┃ 出席代表团占比 · 比率：█ 除以 ┃
fairness-waits = 从请求到获得发言权的等待时间（按群体）
fairness-delegations = 各代表团的发言时间（┃ 平均份额）
fairness-violations = 违反先后顺序：{ $count }
fairness-no-violations = 没有人在他人等待首次发言时第二次发言。
fairness-interventions = 主席的干预：{ $count }
fairness-intervention = { $kind }：{ $who }（由 { $by }）— { $reason }
fairness-intervention-nobody = { $kind }（由 { $by }）— { $reason }
fairness-no-reason = 未说明理由
fairness-none = 无。
fairness-undefined = 无定义
fairness-col-group = 群体
fairness-col-delegation = 代表团
fairness-col-turns = 次数
fairness-col-time = 时间
fairness-col-share = 发言时间占比
fairness-col-spoke = 发言
fairness-col-present = 出席
fairness-col-ratio = 比率
fairness-col-asked = 请求
fairness-col-served = 给予
fairness-col-withdrawn = 撤回
fairness-col-unserved = 从未给予
fairness-col-median = 中位数
fairness-col-p90 = 第90百分位
fairness-line-title = { $room } 的公平性数据，{ $window }，截至第 { $seq } 个事件：
fairness-line-group = { $group }：发言 { $turns } 次，发言时间 { $time }（{ $share }；出席代表团占比 { $presence }；比率 { $ratio }）。等待发言：中位数 { $median }，第90百分位 { $p90 }。从未给予：{ $unserved }。
fairness-line-delegation = { $delegation }（{ $group }）：发言 { $turns } 次，发言时间 { $time }（{ $share }）；等待中位数 { $median }。


## 通知

notice-queued-offline = 已断开：连接恢复后将自动发送
notice-not-sent = { $count } 个请求未能及时发送
notice-vote-counted = 您的投票已计入
notice-removed = 您已被移出本会议室
notice-muted = 您在本会议室已被禁言
notice-unmuted = 您可以再次发言
notice-your-floor = 请您发言
notice-ten-seconds = 还剩 10 秒
notice-next-in-line = 下一位就是您
notice-unknown-command = 未知命令：/{ $name }
notice-no-room = 您不在任何会议室
notice-select-message = 请先选择一条消息：Esc，↑ ↓，然后 Enter
notice-no-points = 没有待处理的程序问题
notice-no-poll = 目前没有表决
notice-nobody = 没有可选的人
notice-queue-short = 发言名单不足两人
notice-bad-time = 时间格式有误：请写 90、1:30 或 2m
notice-interpret-own = 您只能传译自己的发言
notice-not-done = 未执行
notice-speak-auto = 每条消息的语言将根据文字判断
notice-speak-lang = 从现在起您的消息语言为{ $lang }（/lang auto 可撤销）
notice-bad-lang = 不是语言代码：{ $lang }
notice-no-action = 对这条消息无可执行的操作
notify-title = Dais
## 逐行模式（dais --line）：每个事件一行，供读屏软件使用。
line-connected = 已以 { $who }（{ $role }）身份连接 { $server }。输入 /help 查看命令。
line-offline = 已断开（{ $server }），正在重试。
line-room = 会场：{ $room }（{ $mode }）。
line-floor = { $who } 正在发言，剩余 { $time }。
line-speech = { $who }（{ $lang }）：{ $text }
line-alert = 注意：{ $text }
line-vote-hint = 用 /vote 加选项编号投票。
line-pick = 请回复编号，或回复空行取消：
line-prompt = 请回复，或回复空行取消：
line-commands = 命令：{ $commands }

## 操作（命令面板、帮助、按键）

cmd-help = 帮助
cmd-palette = 操作
cmd-quit = 退出
cmd-next-room = 下一个会议室
cmd-prev-room = 上一个会议室
cmd-rooms = 选择会议室
cmd-language = 界面语言
cmd-focus = 切换输入 / 会议记录
cmd-original = 原文或译文
cmd-request-floor = 请求发言
cmd-clarify = 提出澄清问题
cmd-withdraw = 撤回发言请求
cmd-yield = 交还发言权
cmd-yield-to = 将剩余时间让给代表
cmd-pass = 放弃发言
cmd-point-of-order = 程序问题
cmd-reply = 对所选消息行使答辩权
cmd-vote = 投票
cmd-interpret = 翻译所选消息
cmd-next = 下一位发言者
cmd-grant = 请某人发言…
cmd-revoke = 收回发言权
cmd-pause = 暂停计时
cmd-resume = 恢复计时
cmd-mode = 设置模式
cmd-time-limit = 设置发言时限
cmd-reorder = 调整发言顺序
cmd-clear-queue = 清空发言名单
cmd-round = 开始轮流发言
cmd-rule = 裁定程序问题
cmd-close-list = 截止发言名单
cmd-open-list = 重新开放发言名单
cmd-poll = 发起表决
cmd-close-poll = 结束表决
cmd-mute = 禁言与会者
cmd-unmute = 解除禁言
cmd-remove = 移出与会者
cmd-announce = 发布通告
cmd-new-room = 新建会议室
cmd-lock = 锁定会议室
cmd-unlock = 解锁会议室
cmd-close-room = 关闭会议室
cmd-search = 搜索会议记录
cmd-lang = 您发言所用的语言
cmd-fairness = 公平性数据
lang-en = 英语
lang-fr = 法语
lang-es = 西班牙语
lang-ru = 俄语
lang-zh = 中文
lang-ar = 阿拉伯语
lang-he = 希伯来语
lang-pt = 葡萄牙语
lang-de = 德语

## 服务器错误

error-unknown = 服务器拒绝：{ $code }
error-config = 无法读取配置文件：{ $detail }
error-no-token = 缺少令牌。请使用 --token-file 文件、DAIS_TOKEN，或在 { $path } 中写 token_file = "…"，或使用 --guest 名字。
error-ca = 无法使用 CA 文件 { $path }：{ $detail }
error-no-roots = 系统中没有受信任的证书颁发机构。请使用 --ca 文件。
error-tls = 无法设置 TLS：{ $detail }
error-token-file = 无法读取令牌文件 { $path }：{ $detail }
error-token-file-empty = 令牌文件 { $path } 是空的
warning-token-file-readable = 其他用户可以读取令牌文件 { $path }（权限 { $mode }）：请对它执行 chmod 600
error-unauthenticated = 尚未登录
error-already-authenticated = 已经登录
error-unsupported-protocol = 此客户端版本与服务器不兼容
error-invalid-token = 令牌无效
error-guests-not-allowed = 此服务器不接受访客
error-invalid-guest-name = 不允许使用该访客名
error-guest-name-reserved = 该名称已被保留，请换一个访客名
error-login-throttled = 此地址登录失败次数过多，请稍后重试
error-malformed-json = 服务器无法读取请求
error-not-an-object = 服务器无法读取请求
error-missing-type = 服务器无法读取请求
error-unknown-type = 服务器不认识此请求
error-missing-field = 请求缺少字段
error-unknown-field = 请求含有未知字段
error-duplicate-field = 请求中有重复的字段
error-invalid-field = 请求含有错误的值
error-binary-not-supported = 服务器只接受文本
error-text-too-long = 文本过长
error-empty-text = 文本为空
error-invalid-text = 文本含有不允许的字符
error-invalid-language = 语言标记无效
error-rate-limited = 操作过快，请稍候
error-unknown-room = 没有这个会议室
error-room-closed = 会议室已关闭
error-room-locked = 会议室已锁定
error-room-exists = 已有使用该标识的会议室
error-invalid-room = 会议室标识无效
error-too-many-rooms = 服务器的会议室已达上限
error-replay-in-progress = 仍在同步此会议室，请稍后再试
error-not-joined = 您不在该会议室
error-removed = 您已被移出本会议室
error-muted = 您在本会议室已被禁言
error-forbidden = 您的角色无权执行此操作
error-not-your-turn = 您没有发言权
error-floor-free = 目前无人发言
error-not-floor-holder = 只有发言者可以这样做
error-already-has-floor = 您已经在发言
error-cannot-hold-floor = 该参会者不能发言
error-already-in-queue = 您已在发言名单上
error-not-in-queue = 您不在发言名单上
error-list-closed = 发言名单已截止
error-queue-empty = 发言名单为空
error-stale-turn = 该发言已经结束
error-not-a-member = 该与会者不在会议室
error-invalid-order = 新顺序必须包括所有等候者
error-round-in-progress = 轮流发言正在进行
error-clock-paused = 计时已暂停
error-clock-running = 计时正在进行
error-invalid-time-limit = 不允许该发言时限
error-unknown-event = 没有这条消息
error-unknown-point = 没有这个程序问题
error-too-many-points = 待处理的程序问题过多
error-no-open-poll = 目前没有表决
error-poll-already-open = 已有表决正在进行
error-invalid-option = 没有这个选项
error-invalid-poll = 表决需要问题和选项
error-no-delegation = 您不代表任何代表团投票
error-store-failed = 服务器无法保存
error-unavailable = 目前无法连接负责此会议室的服务器，请稍后重试
error-internal = 服务器内部错误

## Command line (--help)

cli-about = Dais 终端客户端：六种语言的主持式对话
cli-usage = 用法：
cli-options = 选项：
cli-options-placeholder = 选项
cli-help = 显示本帮助
cli-version = 显示版本
cli-server = 服务器地址，ws:// 或 wss://（DAIS_SERVER）
cli-token-file = 从此文件读取令牌（推荐；chmod 600）
cli-token = 你的参会者令牌（DAIS_TOKEN）；会出现在 ps 和命令历史中，建议改用 --token-file
cli-guest = 以此名字作为访客加入（需服务器允许访客）
cli-lang = 界面语言：en、fr、es、ru、zh-CN、ar
cli-bidi = 由谁排列从右到左的文字：app、terminal、off
cli-room = 首先打开的会议室
cli-speak = 你发言所用的语言（默认：界面语言）
cli-config = 配置文件（DAIS_CONFIG）
cli-ca = 用于 wss://：只信任此 CA（PEM）（DAIS_CA）
cli-line = 供读屏软件使用的逐行模式（TERM=dumb 或不在终端中时默认启用）
cli-quiet-clock = 只在关键时刻显示剩余时间，而不是每秒更新
cli-no-mouse = 将鼠标留给终端
cli-value-address = 地址
cli-value-token = 令牌
cli-value-lang = 语言
cli-value-who = 方式
cli-value-room = 会议室
cli-value-file = 文件
cli-value-name = 名字

## Mistakes on the command line

cli-error-unknown-argument = 未知参数：{ $arg }
cli-error-did-you-mean = 你是否想用 { $suggestion }？
cli-error-value-required = 缺少 { $arg } 的值
cli-error-no-equals = 请在等号（=）后给出 { $arg } 的值
cli-error-invalid-value = { $arg } 的值无效：{ $value }
cli-error-possible-values = 可选值：{ $values }
cli-error-unexpected-value = { $arg } 不接受值，却收到了：{ $value }
cli-error-repeated = { $arg } 只能指定一次
cli-error-conflict = { $arg } 不能与 { $other } 同时使用
cli-error-missing-required = 缺少必需的参数：{ $args }
cli-error-invalid-utf8 = 有一个参数不是有效的 UTF-8 文本
cli-error-other = 命令行无效
cli-error-try-help = 如需更多信息，请运行 { $command }
cli-error-list-separator = 、

## Public pages and the record's export (dais-server). These messages are
## the server's: they stay together at the end of the file.

web-title = Dais：公开会议记录
web-rooms = 公开会议室
web-rooms-none = 目前没有公开的会议室。
web-record = 会议记录
web-fairness = 公平指标
web-language = 语言
web-live = 新的发言会随会议进行实时显示在这里。
web-no-events = 尚无任何记录。
web-a-guest = 一位来宾
web-an-observer = 一位观察员
web-speaker = { $name }（{ $delegation }）
web-spoke-in = （以{ $lang }发言）
web-original = 原文（{ $lang }）
web-interpretation = 口译（{ $lang }）
web-back = 所有公开会议室
web-chart-groups = 各利益相关方群体的发言时间占比与在场代表团占比
web-chart-delegations = 各代表团的发言时间
ev-room-published = { $who } 向公众公开了本会议室的记录
ev-room-unpublished = { $who } 不再向公众公开本会议室的记录
ev-vote-cast = { $who } 已投票
ev-interpretation = { $who } 译为{ $lang }
export-title = 会议记录：{ $room }
export-room = 会议室 { $id }。
export-exported = 导出于 { $time }。事件数：{ $count }。
export-proceedings = 会议进程
export-polls = 表决
export-no-polls = 没有已结束的表决。
export-votes = 各代表团投票：{ $votes }
export-speaking-time = 发言时间
export-total = 合计：{ $time }
export-time = 时间
export-none = （无）
export-reason = 理由：{ $reason }
export-given-by = 由 { $who } 给予
export-fairness = 公平
fair-summary = 发言次数：{ $turns }。发言时间：{ $time }。在场代表团：{ $count }。
fair-whole-record = 全部记录。
fair-window = 自 { $from } 至 { $to }。
fair-gini = 发言时间的基尼系数
fair-spread = 代表性差距（最高与最低之比）
fair-group = 利益相关方群体
fair-delegation = 代表团
fair-turns = 发言次数
fair-speaking = 发言时间
fair-share = 发言时间占比
fair-presence = 在场代表团占比
fair-representation = 代表性
fair-present = 在场代表团
fair-wait-median = 等待时间中位数
fair-wait-p90 = 等待时间第 90 百分位
fair-requests = 发言请求
fair-served = 已获发言
fair-withdrawn = 已撤回
fair-unserved = 未获发言
fair-undefined = 无定义
fair-violations = 违反先后顺序
fair-violation = 第 { $turn } 次发言再次给了 { $who }，而 { $waiting } 仍在等待首次发言
fair-no-violations = 无：没有人在他人等待首次发言时发言两次。
fair-interventions = 主席的干预
fair-no-interventions = 无。
intervention-revoke = 收回发言权
intervention-grant = 不按顺序给予发言权
intervention-reorder = 调整名单顺序
intervention-clear = 清空名单
intervention-mute = 禁言
intervention-remove = 请出
intervention-ruling = 裁决
