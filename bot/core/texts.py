"""The Vietnamese text catalog: every user-facing sentence lives here."""

from __future__ import annotations

from bot.db.models import AccountStatus, Role

CATALOG: dict[str, str] = {
    # Errors and fallbacks
    "error.apology": "Xin lỗi, hệ thống vừa gặp sự cố. Bạn vui lòng thử lại sau ít phút.",
    "error.forbidden": "Bạn không có quyền dùng chức năng này.",
    "error.unknown_command": "Không có lệnh /{command}. Gõ /help để xem các lệnh bạn dùng được.",
    "error.unknown_button": "Nút này không còn hiệu lực. Gõ /help để xem các lệnh.",
    "error.not_understood": ("Mình chưa hiểu ý bạn. Gõ /help để xem các lệnh bạn dùng được."),
    "error.empty": "Tin nhắn trống. Gõ /help để xem các lệnh.",
    # Onboarding
    "onboarding.not_linked": (
        "Chào bạn! Bot này chỉ dành cho cán bộ, nhân viên của đơn vị tham gia phong trào "
        "thi đua bảo đảm trật tự, an toàn giao thông.\n"
        "Để tham gia, hãy gửi mã mời mà quản trị viên đã cấp cho bạn "
        "(ví dụ: /start ABCD2345EFGH6), hoặc mở đường link mời."
    ),
    "onboarding.inactive": (
        "Tài khoản của bạn đang tạm ngưng. Vui lòng liên hệ quản trị viên của đơn vị."
    ),
    "onboarding.welcome": (
        "Xin chào {name}! Bạn đã liên kết thành công với đơn vị {unit}.\n"
        "Gõ /help để xem các chức năng bạn dùng được."
    ),
    "onboarding.welcome_back": "Chào {name}! Gõ /help để xem các chức năng bạn dùng được.",
    "onboarding.code_wrong": (
        "Mã mời không đúng. Vui lòng kiểm tra lại mã (không phân biệt chữ hoa, chữ thường) "
        "hoặc xin quản trị viên cấp mã mới."
    ),
    "onboarding.code_used": (
        "Mã mời này đã được sử dụng. Mỗi mã chỉ dùng được một lần; "
        "vui lòng xin quản trị viên cấp mã mới."
    ),
    "onboarding.code_expired": (
        "Mã mời này đã hết hạn từ {expired}. Vui lòng xin quản trị viên cấp mã mới."
    ),
    "onboarding.already_linked": (
        "Tài khoản này đã được liên kết với {name}. Gõ /me để xem thông tin của bạn."
    ),
    # Help
    "help.header": "Xin chào {name} ({role}). Bạn có thể dùng các lệnh sau:",
    "help.footer": "Bạn cũng có thể gõ câu hỏi bằng tiếng Việt, có dấu hoặc không dấu.",
    "help.start": "bắt đầu, hoặc liên kết tài khoản bằng mã mời",
    "help.help": "xem các lệnh bạn dùng được",
    "help.me": "xem thông tin của bạn: đơn vị, vai trò, các kênh đã liên kết",
    "help.as": "đóng vai một người khác theo mã nhân viên (chỉ có ở chế độ thử nghiệm)",
    "help.nhansu": "danh sách nhân sự đơn vị bạn quản lý và ai đã tham gia bot",
    "help.moi": "tạo mã mời cho một nhân viên, ví dụ: /moi NV001",
    # /nhansu and /moi
    "people.summary": "{unit}: {total} người, {joined} đã tham gia bot.",
    "people.missing": "Chưa tham gia ({count}): {names}",
    "people.more": "{names} và {rest} người khác",
    "people.all_joined": "Tất cả đã tham gia bot.",
    "invite.usage": "Cách dùng: /moi MÃ_NHÂN_VIÊN, ví dụ /moi NV001.",
    "invite.created": (
        "Mã mời cho {name} ({code}): {invite}\nHết hạn: {expires}. Mỗi mã chỉ dùng một lần."
    ),
    "invite.link": "Đường link: {link}",
    "invite.person_unknown": "Không có nhân viên mã {code} trong đơn vị bạn quản lý.",
    "help.quiz": "làm một câu hỏi về luật giao thông",
    "help.diem": "xem điểm câu đố và thứ hạng của bạn trong đơn vị",
    "help.bangxephang": "bảng xếp hạng thi đua giữa các đơn vị và trong đơn vị bạn",
    "help.lich": "xem và sửa lịch nhắc nhở, câu đố (ví dụ: /lich sua 1 T2-T6 07:30)",
    # Quizzes
    "quiz.none": "Hiện chưa có câu hỏi nào đang có hiệu lực. Bạn quay lại sau nhé!",
    "quiz.scheduled_intro": "Đến giờ câu đố luật giao thông rồi! Chọn một đáp án:",
    "quiz.unknown": "Câu hỏi này không còn hiệu lực. Gõ /quiz để nhận câu hỏi mới.",
    "quiz.already_answered": "Bạn đã trả lời câu này rồi; mỗi câu chỉ tính lần trả lời đầu tiên.",
    "quiz.right": "✅ Chính xác!",
    "quiz.wrong": "❌ Chưa đúng. Đáp án đúng: {answer}.",
    "quiz.explain": "{explanation}\nCăn cứ: {basis}",
    "quiz.tally": (
        "Điểm của bạn: {correct}/{answered} câu đúng. Chuỗi đúng liên tiếp: {streak} "
        "(cao nhất: {best})."
    ),
    "quiz.more": "Gõ /quiz để làm câu tiếp theo.",
    "score.card": (
        "Điểm câu đố của {name}:\n• Đã trả lời: {answered} câu, đúng {correct} câu "
        "({accuracy}%).\n• Chuỗi đúng liên tiếp: {streak} (cao nhất: {best}).\n"
        "• Xếp hạng trong {unit}: {rank}/{total}."
    ),
    "board.units_header": "Thi đua giữa các đơn vị ({since} – nay), tính theo đầu người:",
    "board.unit_line": (
        "{rank}. {unit}: {participation}% tham gia, {accuracy}% đúng ({people} người)"
    ),
    "board.people_header": "Trong {unit}:",
    "board.person_line": "{rank}. {name}: {correct} câu đúng",
    "board.empty": "Chưa có ai trả lời câu đố trong thời gian này.",
    # Reminders
    "reminder.text": "💡 Nhắc nhở an toàn giao thông\n{text}\nCăn cứ: {basis}",
    "reminder.ack_button": "Đã hiểu",
    "reminder.ack_thanks": "Cảm ơn bạn! Đã ghi nhận.",
    "reminder.ack_again": "Bạn đã xác nhận nhắc nhở này rồi.",
    # Schedules
    "schedule.kind.reminder": "nhắc nhở",
    "schedule.kind.quiz": "câu đố",
    "schedule.line": "{id}. {name} ({kind}): {days} lúc {time} ({tz}), {state}{target}",
    "schedule.on": "đang bật",
    "schedule.off": "đang tắt",
    "schedule.everyone": "",
    "schedule.for_unit": ", cho {unit}",
    "schedule.holidays": ", nghỉ ngày lễ",
    "schedule.header": "Lịch gửi tự động:",
    "schedule.usage": (
        "Cách dùng: /lich — xem lịch; /lich bat ID, /lich tat ID; "
        "/lich sua ID NGÀY GIỜ (ví dụ: /lich sua 1 T2-T6 07:30)."
    ),
    "schedule.updated": "Đã cập nhật lịch:",
    "schedule.unknown": "Không có lịch số {id}.",
    "schedule.bad_days": "Ngày {days!r} không hợp lệ (ví dụ đúng: T2-T6, T3,T5, mon-fri).",
    "schedule.bad_time": "Giờ {time!r} không hợp lệ (ví dụ đúng: 07:30).",
    "schedule.holiday": "ngày lễ: {name}",
    # /me
    "me.card": (
        "Họ tên: {name}\nMã nhân viên: {code}\nĐơn vị: {unit}\nVai trò: {role}\n"
        "Số điện thoại: {phone}\nCác kênh đã liên kết:\n{channels}"
    ),
    "me.channel_line": "• {channel}: {status}, liên kết ngày {linked}",
    "me.no_phone": "(chưa có)",
    # Console / demo
    "demo.banner": (
        "Bot ATGT — chế độ thử nghiệm trên máy tính (dữ liệu mẫu, SQLite).\n"
        "Bạn đang là {name} ({code}, {role}, {unit}).\n"
        "Gõ /as MÃ để đổi người, ví dụ: {examples}. Gõ /help để xem các lệnh; "
        "Ctrl+D để thoát."
    ),
    "demo.as_done": "Bạn đang là {name} ({code}, {role}, {unit}).",
    "demo.as_unknown": "Không có nhân viên mã {code}.",
    "demo.as_usage": "Cách dùng: /as MÃ_NHÂN_VIÊN, ví dụ /as {example}.",
    "console.buttons_hint": "(gõ số để chọn)",
    # CLI
    "run.no_channel": (
        "Chưa cấu hình kênh nào. Đặt ATGT_TELEGRAM_TOKEN (xem README), "
        "hoặc chạy bản thử: atgt demo."
    ),
    "run.schema_outdated": ("Cơ sở dữ liệu chưa ở phiên bản mới nhất. Hãy chạy: atgt db upgrade"),
    "cli.settings_error": "Không khởi động được: {error}",
    "cli.content_bad": "Nội dung có {count} lỗi:",
    "cli.content_ok": "Nội dung hợp lệ: {quizzes} câu đố, {reminders} nhắc nhở.",
    "cli.content_refused": "Bot không khởi động vì nội dung không hợp lệ. {issues}",
    "cli.jobs_next": "lần tới: {when}",
    "cli.jobs_ran": "Đã chạy lịch {id}: {count} tin nhắn vào hàng đợi gửi.",
    "cli.db_upgraded": "Đã nâng cấp cơ sở dữ liệu lên phiên bản mới nhất.",
    "cli.roster_rejected": "Tệp {path} bị từ chối ({count} lỗi), không có gì được ghi:",
    "cli.roster_done": (
        "{mode}: thêm mới {created}, cập nhật {updated}, không đổi {unchanged}, đơn vị mới {units}."
    ),
    "cli.roster_mode_dry": "Chạy thử (không ghi gì)",
    "cli.roster_mode_real": "Đã nhập",
    "cli.org_empty": "Chưa có đơn vị nào. Hãy nhập danh sách: atgt org import TỆP.",
    "cli.org_root": "Tổ chức",
    "cli.people": "{count} người",
    "cli.person_unknown": "Không có nhân viên mã {code}.",
    "cli.unit_unknown": "Không có đơn vị {path}.",
    "cli.invite_one": "Mã mời cho {name} ({code}): {invite}\nHết hạn: {expires}",
    "cli.invite_link": "Đường link Telegram: {link}",
    "cli.invite_no_link": "(Đặt ATGT_TELEGRAM_BOT_USERNAME để in kèm đường link Telegram.)",
    "cli.invite_bulk": "Đã tạo {count} mã mời cho đơn vị {path}, lưu tại {out}.",
    "cli.invite_need_target": "Hãy chọn --person MÃ hoặc --unit ĐƯỜNG_DẪN --xlsx TỆP.",
    "cli.invite_need_xlsx": "Tạo mã hàng loạt cần --xlsx TỆP để lưu kết quả.",
}

ROLE_LABELS: dict[Role, str] = {
    Role.EMPLOYEE: "nhân viên",
    Role.MANAGER: "quản lý",
    Role.ADMIN: "quản trị viên",
}

STATUS_LABELS: dict[AccountStatus, str] = {
    AccountStatus.ACTIVE: "đang hoạt động",
    AccountStatus.BLOCKED: "đã chặn bot",
    AccountStatus.LEFT: "đã rời",
}

CHANNEL_LABELS: dict[str, str] = {
    "telegram": "Telegram",
    "zalo_bot": "Zalo Bot",
    "zalo_oa": "Zalo OA",
    "console": "Máy tính (thử nghiệm)",
}


def t(key: str, **values: object) -> str:
    """The catalog text for `key`, formatted with `values`."""
    return CATALOG[key].format(**values)
