"""The Vietnamese text catalog: every user-facing sentence lives here."""

from __future__ import annotations

from bot.db.models import AccountStatus, Role

CATALOG: dict[str, str] = {
    # Errors and fallbacks
    "error.apology": "Xin lỗi, hệ thống vừa gặp sự cố. Anh/chị vui lòng thử lại sau ít phút.",
    "error.forbidden": "Anh/chị không có quyền dùng chức năng này.",
    "error.unknown_command": (
        "Không có lệnh /{command}. Gõ /help để xem các lệnh anh/chị dùng được."
    ),
    "error.unknown_button": "Nút này không còn hiệu lực. Gõ /help để xem các lệnh.",
    "error.not_understood": (
        "Hệ thống chưa hiểu câu hỏi của anh/chị. Gõ /help để xem các lệnh anh/chị dùng được."
    ),
    "error.empty": "Tin nhắn trống. Gõ /help để xem các lệnh.",
    # Onboarding
    "onboarding.not_linked": (
        "Kính chào anh/chị! Bot này chỉ dành cho cán bộ, công chức, viên chức và người lao động "
        "của đơn vị tham gia phong trào "
        "thi đua bảo đảm trật tự, an toàn giao thông.\n"
        "Để tham gia, anh/chị vui lòng gửi mã mời mà quản trị viên đã cấp cho anh/chị "
        "(ví dụ: /start ABCD2345EFGH6), hoặc mở đường link mời."
    ),
    "onboarding.inactive": (
        "Tài khoản của anh/chị đang tạm ngưng. Vui lòng liên hệ quản trị viên của đơn vị."
    ),
    "onboarding.welcome": (
        "Xin chào {name}! Anh/chị đã liên kết thành công với đơn vị {unit}.\n"
        "Gõ /help để xem các chức năng anh/chị dùng được."
    ),
    "onboarding.welcome_back": "Chào {name}! Gõ /help để xem các chức năng anh/chị dùng được.",
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
    "onboarding.code_revoked": (
        "Mã mời này không còn hiệu lực. Vui lòng xin mã mới từ quản trị viên."
    ),
    "onboarding.too_many": (
        "Anh/chị đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau một giờ "
        "hoặc liên hệ quản trị viên."
    ),
    "onboarding.already_linked": (
        "Tài khoản này đã được liên kết với {name}. Gõ /me để xem thông tin của anh/chị."
    ),
    # Web channel: the bot in a browser (issue 19)
    "web.app_name": "Trợ lý An toàn giao thông",
    "web.short_name": "ATGT",
    "web.join_title": "Dùng trợ lý trên trình duyệt",
    "web.join_intro": (
        "Anh/chị được mời dùng Trợ lý An toàn giao thông của đơn vị ngay trên trình duyệt, "
        "không cần cài ứng dụng. Bấm nút dưới đây để liên kết trình duyệt này "
        "với tài khoản của anh/chị."
    ),
    "web.join_private": (
        "Chỉ bấm trên điện thoại hoặc máy tính của riêng anh/chị. Đường link chỉ dùng được một lần."
    ),
    "web.join_button": "Tham gia",
    "web.join_again": (
        "Phiên mở trang đã hết hạn. Anh/chị hãy mở lại đường link mời rồi bấm Tham gia."
    ),
    "web.not_found": "Không có trang này.",
    "web.signed_out": (
        "Trình duyệt này chưa được liên kết với tài khoản nào. Anh/chị hãy mở đường link mời "
        "mà đơn vị đã gửi, hoặc gõ /web trong Zalo hay Telegram để nhận đường link mới."
    ),
    "web.loading": "Đang tải…",
    "web.empty": "Chưa có tin nhắn nào. Gõ /help để xem các chức năng.",
    "web.input_label": "Câu hỏi hoặc lệnh",
    "web.input_placeholder": "Nhập câu hỏi hoặc lệnh…",
    "web.send": "Gửi",
    "web.sending": "Đang gửi…",
    "web.send_failed": "Chưa gửi được. Anh/chị kiểm tra kết nối mạng rồi thử lại.",
    "web.offline": "Không có kết nối mạng. Tin nhắn mới sẽ hiện khi có mạng trở lại.",
    "web.too_long": "Tin nhắn quá dài (tối đa {limit} ký tự).",
    "web.choice_gone": "Lựa chọn này không còn hiệu lực.",
    "web.quick_label": "Lệnh nhanh",
    "web.file": "Tải tệp {filename}",
    "web.notify_on": "Bật thông báo",
    "web.notify_done": "Đã bật thông báo trên thiết bị này.",
    "web.notify_denied": (
        "Trình duyệt đang chặn thông báo của trang này. Anh/chị mở cài đặt trang để cho phép."
    ),
    "web.notify_failed": "Không bật được thông báo trên thiết bị này.",
    "web.devices": "Thiết bị của tôi",
    "web.dashboard": "Bảng theo dõi",
    "web.devices_intro": "Các trình duyệt đang đăng nhập vào tài khoản của anh/chị:",
    "web.device_line": "Đăng nhập {created} · dùng gần nhất {seen}",
    "web.device_this": "Thiết bị này",
    "web.device_unknown": "Trình duyệt",
    "web.revoke": "Đăng xuất thiết bị",
    "web.logout": "Đăng xuất",
    "web.back": "Quay lại",
    "web.forbidden": "Yêu cầu không hợp lệ. Anh/chị hãy tải lại trang.",
    "web.link": (
        "Đường link để dùng trợ lý trên trình duyệt (dùng một lần, hết hạn sau {minutes} phút):\n"
        "{link}\nChỉ mở trên điện thoại hoặc máy tính của riêng anh/chị."
    ),
    "web.off": "Kênh web chưa được bật. Anh/chị vui lòng liên hệ quản trị viên.",
    # Manager dashboard in the web app
    "dashboard.title": "Bảng theo dõi thi đua",
    "dashboard.forbidden": "Bảng theo dõi chỉ dành cho cán bộ quản lý và quản trị viên.",
    "dashboard.not_yours": "Anh/chị không có quyền xem đơn vị này.",
    "dashboard.no_campaign": "Chưa có đợt thi đua nào bắt đầu.",
    "dashboard.nobody": "Đơn vị này chưa có ai tham gia đợt thi đua hiện tại.",
    "dashboard.signed_out": (
        "Phiên đăng nhập đã hết. Anh/chị mở lại đường link từ bot để đăng nhập."
    ),
    "dashboard.subtitle": "«{campaign}» · tuần {start} – {end}",
    "dashboard.crumbs": "Đơn vị",
    "dashboard.period": "Khoảng thời gian",
    "dashboard.weeks_option": "{weeks} tuần gần nhất",
    "dashboard.show": "Xem",
    "dashboard.this_week": "Tuần này (số liệu đến hiện tại)",
    "dashboard.people": "Số người tham gia",
    "dashboard.reported": "Đã báo cáo",
    "dashboard.count_rate": "{part}/{whole} ({rate})",
    "dashboard.compliant": "Chấp hành đầy đủ (trong số đã báo cáo)",
    "dashboard.hidden": "ẩn (nhóm dưới {k} người, hoặc có thể suy ra)",
    "dashboard.violations": "Tự khai vi phạm",
    "dashboard.late": "Nộp sau hạn",
    "dashboard.quiz": "Câu đố: câu đúng",
    "dashboard.reminders": "Nhắc nhở đã xác nhận",
    "dashboard.reads": "Thông báo đã đọc",
    "dashboard.rank": "Xếp hạng thi đua",
    "dashboard.rank_value": "{rank}/{rivals} đơn vị cùng cấp",
    "dashboard.trend": "Tỉ lệ báo cáo {weeks} tuần gần nhất",
    "dashboard.average": "Trung bình {weeks} tuần: {rate} người báo cáo mỗi tuần",
    "dashboard.versus": "; {weeks} tuần trước đó: {rate}{change}.",
    "dashboard.change_up": " (nay tăng {delta} điểm phần trăm)",
    "dashboard.change_down": " (nay giảm {delta} điểm phần trăm)",
    "dashboard.change_none": " (không đổi)",
    "dashboard.no_previous": "; chưa có {weeks} tuần trước đó để so sánh.",
    "dashboard.chart_compliant": "Chấp hành đầy đủ",
    "dashboard.units": "Đơn vị trực thuộc",
    "dashboard.no_units": "Không có đơn vị trực thuộc có người tham gia.",
    "dashboard.unit_line": "Báo cáo {reported}/{people} ({rate}) · câu đố đúng {accuracy}",
    "dashboard.unit_private": "Chấp hành đầy đủ: {compliance} · tự khai vi phạm: {violations}",
    "dashboard.unit_rank": "hạng {rank}",
    "dashboard.topics": "Câu đố theo chủ đề ({weeks} tuần)",
    "dashboard.topic_line": "{correct}/{answered} câu đúng ({rate})",
    "dashboard.no_topics": "Chưa có câu trả lời nào trong khoảng thời gian này.",
    "dashboard.weak": "Chủ đề cần củng cố: {topics}.",
    "dashboard.missing": "Chưa báo cáo tuần này ({count})",
    "dashboard.all_reported": "Tất cả đã báo cáo.",
    "dashboard.missing_more": "… và {rest} người khác (xem tệp Excel).",
    "dashboard.export": "Tải tệp Excel",
    "dashboard.to_chat": "Về trang trò chuyện",
    "dashboard.weeks_header": "Từ ngày|Đến ngày|Đã báo cáo (%)|Chấp hành đầy đủ (%)",
    "dashboard.sheet_weeks": "Theo tuần",
    "dashboard.topics_header": "Chủ đề|Câu trả lời|Câu đúng|Tỉ lệ đúng (%)",
    "dashboard.sheet_topics": "Chủ đề câu đố",
    # Help
    "help.header": "Xin chào {name} ({role}). Anh/chị có thể dùng các lệnh sau:",
    "help.footer": "Anh/chị cũng có thể gõ câu hỏi bằng tiếng Việt, có dấu hoặc không dấu.",
    "help.start": "bắt đầu, hoặc liên kết tài khoản bằng mã mời",
    "help.web": "nhận đường link dùng trợ lý trên trình duyệt điện thoại",
    "help.help": "xem các lệnh anh/chị dùng được",
    "help.me": "xem thông tin của anh/chị: đơn vị, vai trò, các kênh đã liên kết",
    "help.as": "đóng vai một người khác theo mã nhân viên (chỉ có ở chế độ thử nghiệm)",
    "help.nhansu": "danh sách nhân sự đơn vị anh/chị quản lý và ai đã tham gia bot",
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
    "invite.inactive": (
        "{name} ({code}) đã được đánh dấu nghỉ, không tạo mã mời được; nếu người này vẫn "
        "công tác, quản trị viên cần nhập lại danh sách nhân sự có tên người này."
    ),
    "invite.person_unknown": "Không có nhân viên mã {code} trong đơn vị anh/chị quản lý.",
    "invite.not_allowed": "Anh/chị không có quyền tạo mã mời.",
    "invite.private_only": (
        "Vì lý do bảo mật, mã mời chỉ được tạo trong cuộc trò chuyện riêng với bot, "
        "không trong nhóm."
    ),
    "invite.role_above": (
        "Anh/chị không thể tạo mã mời cho {name} ({code}) vì người này có vai trò cao hơn "
        "vai trò của anh/chị. Vui lòng liên hệ quản trị viên."
    ),
    "invite.already_linked": (
        "{name} ({code}) đã tham gia bot. Liên kết lại tài khoản (ví dụ khi mất điện thoại) "
        "chỉ do quản trị viên thực hiện; vui lòng liên hệ quản trị viên."
    ),
    "invite.relink_warning": (
        "Lưu ý: {name} đã tham gia bot. Mã này sẽ liên kết thêm một tài khoản với người này; "
        "người này được thông báo trên các kênh đang dùng."
    ),
    "invite.relink_notice": (
        "Thông báo bảo mật: {issuer} vừa tạo mã mời để liên kết thêm một tài khoản với hồ sơ "
        "của anh/chị trên bot. Nếu anh/chị không đề nghị việc này, vui lòng báo ngay cho "
        "quản trị viên."
    ),
    "invite.relinked_notice": (
        "Thông báo bảo mật: một tài khoản {channel} mới vừa được liên kết với hồ sơ của "
        "anh/chị lúc {time}. Nếu không phải anh/chị thực hiện, vui lòng báo ngay cho "
        "quản trị viên."
    ),
    "invite.issuer_person": "{name} ({code})",
    "invite.issuer_server": "Quản trị viên hệ thống",
    "help.quiz": "làm một câu hỏi về luật giao thông",
    "help.diem": "xem điểm câu đố và thứ hạng của anh/chị trong đơn vị",
    "help.bangxephang": "bảng xếp hạng thi đua giữa các đơn vị và trong đơn vị anh/chị",
    "help.lich": "xem và sửa lịch nhắc nhở, câu đố (ví dụ: /lich sua 1 T2-T6 07:30)",
    # Quizzes
    "quiz.none": "Hiện chưa có câu hỏi nào đang có hiệu lực. Anh/chị vui lòng quay lại sau.",
    "quiz.scheduled_intro": "Đến giờ câu đố luật giao thông rồi! Chọn một đáp án:",
    "quiz.unknown": "Câu hỏi này không còn hiệu lực. Gõ /quiz để nhận câu hỏi mới.",
    "quiz.already_answered": (
        "Anh/chị đã trả lời câu này rồi; mỗi câu chỉ tính lần trả lời đầu tiên."
    ),
    "quiz.right": "✅ Chính xác!",
    "quiz.wrong": "❌ Chưa đúng. Đáp án đúng: {answer}.",
    "quiz.explain": "{explanation}\nCăn cứ: {basis}",
    "quiz.tally": (
        "Điểm của anh/chị: {correct}/{answered} câu đúng. Chuỗi đúng liên tiếp: {streak} "
        "(cao nhất: {best})."
    ),
    "quiz.more": "Gõ /quiz để làm câu tiếp theo.",
    "score.card": (
        "Điểm câu đố của {name}:\n• Đã trả lời: {answered} câu, đúng {correct} câu "
        "({accuracy}).\n• Chuỗi đúng liên tiếp: {streak} (cao nhất: {best}).\n"
        "• Xếp hạng trong {unit}: {rank}."
    ),
    "score.unranked": "chưa xếp hạng (anh/chị chưa trả lời câu nào; gõ /quiz để bắt đầu)",
    "board.units_header": "Thi đua giữa các đơn vị ({since} – nay), tính theo đầu người:",
    "board.unit_line": (
        "{rank}. {unit}: {participation}% tham gia, {accuracy} đúng ({people} người)"
    ),
    "board.people_header": "Trong {unit}:",
    "board.person_line": "{rank}. {name}: {correct}/{answered} câu đúng",
    "board.empty": "Chưa có ai trả lời câu đố trong thời gian này.",
    # Reminders
    "reminder.text": "💡 Nhắc nhở an toàn giao thông\n{text}\nCăn cứ: {basis}",
    "reminder.ack_button": "Đã hiểu",
    "reminder.ack_thanks": "Cảm ơn anh/chị! Đã ghi nhận.",
    "reminder.ack_again": "Anh/chị đã xác nhận nhắc nhở này rồi.",
    # Schedules
    "schedule.kind.reminder": "nhắc nhở",
    "schedule.kind.quiz": "câu đố",
    "schedule.kind.checkin": "báo cáo tuần",
    "schedule.kind.nudge": "nhắc người chưa báo cáo",
    "schedule.kind.content_expiry": "báo nội dung luật sắp hết hiệu lực",
    "schedule.line": "{id}. {name}: {days} lúc {time} ({tz}), {state}{target}",
    "schedule.custom_name": "{name} ({kind})",
    # The default schedules (bot/services/schedules.DEFAULTS), by their stored name.
    "schedule.name.nhac-nho": "Nhắc nhở an toàn giao thông hằng ngày",
    "schedule.name.cau-do": "Câu đố luật giao thông",
    "schedule.name.bao-cao-tuan": "Mời báo cáo tuần",
    "schedule.name.nhac-bao-cao": "Nhắc người chưa báo cáo tuần",
    "schedule.name.tong-hop-tuan": "Tổng hợp tuần cho lãnh đạo",
    "schedule.name.ra-soat-noi-dung": "Báo nội dung luật sắp hết hiệu lực",
    "schedule.tz_vietnam": "giờ Việt Nam",
    "schedule.on": "đang bật",
    "schedule.off": "đang tắt",
    "schedule.for_unit": ", cho {unit}",
    "schedule.holidays": ", nghỉ ngày lễ",
    "schedule.header": "Lịch gửi tự động:",
    "schedule.usage": (
        "Cách dùng: /lich — xem lịch; /lich bat ID, /lich tat ID; "
        "/lich sua ID NGÀY GIỜ (ví dụ: /lich sua 1 T2-T6 07:30)."
    ),
    "schedule.updated": "Đã cập nhật lịch:",
    "schedule.unknown": "Không có lịch số {id}.",
    "schedule.bad_days": (
        "Ngày «{days}» không hợp lệ. Ghi thứ trong tuần như trên lịch, ví dụ: T2-T6, T3,T5, "
        "T7,CN, thứ 2 - thứ 6 hoặc chủ nhật."
    ),
    "schedule.bad_time": "Giờ {time!r} không hợp lệ (ví dụ đúng: 07:30).",
    "schedule.holiday": "ngày lễ: {name}",
    "help.dangky": "đăng ký thi đua (ký cam kết) cho đợt thi đua của đơn vị",
    "help.baocaotuan": "báo cáo chấp hành luật giao thông trong tuần",
    "help.vipham": "tự khai báo một vi phạm (chỉ anh/chị và lãnh đạo đơn vị thấy)",
    "help.ghichu": "thêm ghi chú cho báo cáo tuần, ví dụ: /ghichu đi công tác cả tuần",
    "help.lichsu": "xem lịch sử đăng ký, báo cáo và điểm câu đố của anh/chị",
    "help.donvi": "tình hình báo cáo tuần này của đơn vị anh/chị quản lý",
    # Campaigns and check-ins
    "campaign.none": "Đơn vị của anh/chị hiện không có đợt thi đua nào đang diễn ra.",
    "campaign.invite": (
        "Đơn vị anh/chị đang triển khai đợt thi đua «{name}» ({start} – {end}). "
        "Bấm nút để đăng ký thi đua và ký cam kết chấp hành pháp luật về giao thông."
    ),
    "campaign.register_button": "Đăng ký thi đua",
    "campaign.registered": (
        "Cảm ơn anh/chị đã đăng ký đợt thi đua «{name}». Mỗi tuần anh/chị sẽ nhận "
        "một báo cáo ngắn; gõ /baocaotuan để báo cáo bất cứ lúc nào."
    ),
    "campaign.already_registered": "Anh/chị đã đăng ký đợt thi đua «{name}» rồi.",
    "checkin.prompt": (
        "Báo cáo tuần {start} – {end} (hạn {due}).\n"
        "Nếu tuần này anh/chị chấp hành đầy đủ, chỉ cần bấm nút đầu tiên."
    ),
    "checkin.all_button": "Tôi chấp hành đầy đủ",
    "checkin.detail_button": "Trả lời từng câu",
    "checkin.yes": "Có",
    "checkin.no": "Không",
    "checkin.question": "Câu {number}/{total}: {text}",
    "checkin.saved": "Đã ghi nhận báo cáo tuần {start} – {end}: {verdict}.{late}",
    "checkin.saved_hint": "Anh/chị có thể sửa đến hết Chủ nhật; gõ /ghichu để thêm ghi chú.",
    "checkin.current": "Báo cáo tuần {start} – {end} anh/chị đã gửi: {verdict}.",
    "checkin.current_answer": "• {text}: {answer}",
    "checkin.current_note": "Ghi chú: {note}",
    "checkin.change_hint": (
        "Muốn thay đổi, anh/chị bấm một nút dưới đây (sửa được đến hết Chủ nhật)."
    ),
    "checkin.redo_button": "Trả lời lại từng câu",
    "checkin.confirm_all": (
        "Tuần {start} – {end} anh/chị đã có {count} lần tự khai vi phạm: {reports}.\n"
        "Anh/chị vẫn báo cáo tuần này chấp hành đầy đủ?"
    ),
    "checkin.confirm_all_button": "Vẫn báo cáo chấp hành đầy đủ",
    "checkin.saved_with_reports": (
        "Lưu ý: tuần này anh/chị có {count} lần tự khai vi phạm; các lần tự khai vẫn được giữ."
    ),
    "checkin.verdict_ok": "chấp hành đầy đủ",
    "checkin.verdict_not_ok": "có nội dung chưa chấp hành",
    "checkin.late": " (nộp sau hạn)",
    "checkin.suggest_report": (
        "Nếu đã vi phạm, anh/chị có thể tự khai báo bằng /vipham — chỉ anh/chị và "
        "lãnh đạo đơn vị thấy."
    ),
    "checkin.closed": "Kỳ báo cáo này đã đóng. Gõ /baocaotuan để báo cáo tuần hiện tại.",
    "checkin.note_saved": "Đã lưu ghi chú cho báo cáo tuần {start} – {end}.",
    "checkin.note_usage": "Cách dùng: /ghichu NỘI DUNG, ví dụ: /ghichu đi công tác cả tuần.",
    "checkin.nudge": (
        "Anh/chị chưa gửi báo cáo tuần {start} – {end} (hạn {due}). "
        "Chỉ mất vài giây: bấm nút bên dưới."
    ),
    "violation.choose": (
        "Chọn loại vi phạm để tự khai báo (ngày hôm nay). Thông tin này chỉ anh/chị và lãnh đạo "
        "đơn vị thấy. Ghi ngày khác: /vipham SỐ dd/mm/yyyy ghi chú (SỐ là thứ tự của loại vi "
        "phạm trong danh sách dưới đây, từ 1)."
    ),
    "violation.saved": (
        "Đã ghi nhận tự khai báo: {kind}, ngày {date}. Cảm ơn anh/chị đã khai báo trung thực."
    ),
    "violation.unknown_kind": "Loại vi phạm không hợp lệ. Gõ /vipham để xem danh sách.",
    "violation.bad_date": "Ngày {date!r} không hợp lệ (ví dụ đúng: 21/11/2026).",
    "violation.future": "Ngày vi phạm không thể ở tương lai.",
    "violation.kind.alcohol": "Lái xe sau khi uống rượu, bia",
    "violation.kind.helmet": "Không đội mũ bảo hiểm",
    "violation.kind.phone": "Dùng điện thoại khi lái xe",
    "violation.kind.speed": "Chạy quá tốc độ",
    "violation.kind.seatbelt": "Không thắt dây an toàn",
    "violation.kind.signs": "Không chấp hành đèn, biển báo",
    "violation.kind.right_of_way": "Không nhường đường",
    "violation.kind.other": "Vi phạm khác",
    "history.header": "Lịch sử của {name}:",
    "history.registration": "• Đăng ký thi đua ngày {date}.",
    "history.no_registration": "• Chưa đăng ký thi đua.",
    "history.checkin": "• Tuần {start}: {state}{late}",
    "history.no_checkin": "• Chưa có báo cáo tuần nào.",
    "history.violation": "• Tự khai báo: {kind}, ngày {date}",
    "history.quiz": "• Câu đố: {correct}/{answered} câu đúng.",
    "history.state_incomplete": "chưa trả lời hết",
    "unit.header": "Đợt thi đua «{name}» — tuần {start} – {end} (hạn {due}):",
    "unit.summary": "{path}: {people} người tham gia.",
    "unit.registered": "• Đã đăng ký: {registered}/{people}.",
    "unit.unregistered": "• Chưa đăng ký: {names}",
    "unit.answered": (
        "• Đã báo cáo: {answered}/{people} ({late} nộp sau hạn); chấp hành đầy đủ: {compliant}."
    ),
    "unit.compliant_hidden": "được ẩn (dưới {k} người đã báo cáo, hoặc có thể suy ra)",
    "unit.missing": "• Chưa báo cáo: {names}",
    "unit.violations": "• Tự khai vi phạm trong tuần: {count}.",
    "unit.violations_hidden": (
        "• Số tự khai vi phạm được ẩn để bảo vệ thông tin cá nhân (nhóm dưới {k} người, "
        "hoặc có thể suy ra nhóm như vậy từ số liệu của đơn vị khác)."
    ),
    "unit.child": "  – {name}: {answered}/{people} đã báo cáo",
    "help.thongbao": (
        "gửi thông báo: /thongbao NỘI DUNG (hẹn giờ: /thongbao @dd/mm/yyyy HH:MM NỘI DUNG)"
    ),
    "help.thongbao_ketqua": "kết quả gửi và đọc thông báo theo đơn vị (thêm 'xlsx' để tải tệp)",
    "help.thongbao_huy": "hủy hoặc dừng một thông báo: /thongbao_huy SỐ",
    # Broadcasts
    "broadcast.message": "📢 Thông báo\n{text}",
    "broadcast.read_button": "Đã đọc",
    "broadcast.read_thanks": "Cảm ơn anh/chị đã đọc thông báo.",
    "broadcast.read_again": "Anh/chị đã xác nhận đọc thông báo này rồi.",
    "broadcast.empty": "Thông báo chưa có nội dung. Cách dùng: /thongbao NỘI DUNG.",
    "broadcast.not_draft": "Thông báo này đã được gửi hoặc đã hủy.",
    "broadcast.past": "Thời điểm hẹn gửi phải ở tương lai.",
    "broadcast.bad_time": "Thời điểm {value!r} không hợp lệ (ví dụ: @25/11/2026 08:00).",
    "cli.broadcast_bad_time": (
        "Thời điểm «{value}» không hợp lệ. Ghi ngày/tháng/năm giờ:phút (giờ địa phương), "
        'ví dụ: --at "25/12/2026 08:00".'
    ),
    "broadcast.unknown": "Không có thông báo số {id}.",
    "broadcast.too_late": "Thông báo này đã gửi xong hoặc đã hủy.",
    "broadcast.preview": (
        "Xem trước thông báo số {id}:\n———\n{text}\n———\n"
        "Người nhận: {targets}. Tổng {total} người, {reachable} người nhận được qua bot."
    ),
    "broadcast.target_all": "tất cả",
    "broadcast.target_own": "toàn bộ đơn vị của anh/chị",
    "broadcast.choose_units": "Chọn đơn vị nhận (bấm lần nữa để bỏ chọn), rồi bấm Xong:",
    "broadcast.choose_roles": "Chọn vai trò nhận (bấm lần nữa để bỏ chọn), rồi bấm Xong:",
    "broadcast.button_units": "Chọn đơn vị",
    "broadcast.button_roles": "Chọn vai trò",
    "broadcast.button_done": "Xong",
    "broadcast.button_send": "Gửi ngay",
    "broadcast.button_schedule": "Hẹn gửi lúc {when}",
    "broadcast.button_cancel": "Hủy",
    "broadcast.started": "Bắt đầu gửi thông báo số {id} tới {count} người.",
    "broadcast.scheduled": "Đã hẹn gửi thông báo số {id} lúc {when}.",
    "broadcast.nobody": (
        "Thông báo số {id} không gửi tới ai: chưa ai trong danh sách nhận liên kết với bot. "
        "Anh/chị mời họ tham gia (/moi hoặc atgt invite) rồi gửi lại."
    ),
    "broadcast.warn_nobody": (
        "⚠️ Chưa ai trong số người nhận liên kết với bot: thông báo sẽ không tới ai."
    ),
    "broadcast.warn_not_running": (
        "⚠️ Không thấy bot đang chạy (atgt run; lần cuối: {last}): tin chỉ nằm trong hàng đợi "
        "và được gửi khi bot chạy lại."
    ),
    "broadcast.never": "chưa bao giờ",
    "broadcast.warn_quiet": (
        "⚠️ {when} nằm trong giờ yên lặng ({quiet}): thông báo vẫn được gửi vào lúc đó, "
        "người nhận có thể bị làm phiền ban đêm."
    ),
    "broadcast.cancelled": "Đã hủy thông báo số {id} ({count} bản chưa gửi được dừng lại).",
    "broadcast.progress": (
        "Thông báo số {id}: đã gửi {delivered}/{reachable}, lỗi {failed}, đang chờ {pending}; "
        "đã đọc {read}."
    ),
    "broadcast.done": "Đã gửi xong thông báo số {id}.",
    "broadcast.none": "Chưa có thông báo nào.",
    "broadcast.result_header": "Kết quả thông báo số {id} ({status}):",
    "broadcast.result_line": (
        "• {unit}: {delivered}/{recipients} đã nhận ({delivery}%), {read} đã đọc ({read_rate}%)"
    ),
    "broadcast.unreachable": "  ({count} người chưa liên kết bot hoặc không nhận được tin)",
    "broadcast.xlsx_caption": "Danh sách nhận và đọc thông báo số {id}",
    "broadcast.status.draft": "bản nháp",
    "broadcast.status.scheduled": "đã hẹn giờ",
    "broadcast.status.sending": "đang gửi",
    "broadcast.status.done": "đã gửi xong",
    "broadcast.status.cancelled": "đã hủy",
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
        "Anh/chị đang là {name} ({code}, {role}, {unit}).\n"
        "Gõ /as MÃ để đổi người, ví dụ: {examples}. Gõ /help để xem các lệnh; "
        "Ctrl+D để thoát."
    ),
    "demo.as_done": "Anh/chị đang là {name} ({code}, {role}, {unit}).",
    "demo.as_unknown": "Không có nhân viên mã {code}.",
    "demo.as_usage": "Cách dùng: /as MÃ_NHÂN_VIÊN, ví dụ /as {example}.",
    "console.buttons_hint": "(gõ số để chọn)",
    # CLI
    "run.no_channel": (
        "Chưa cấu hình kênh nào. Đặt ATGT_TELEGRAM_TOKEN, ATGT_ZALO_BOT_TOKEN, "
        "ATGT_ZALO_OA_APP_ID hoặc ATGT_WEB_URL (xem README), hoặc chạy bản thử: atgt demo."
    ),
    "run.schema_outdated": ("Cơ sở dữ liệu chưa ở phiên bản mới nhất. Hãy chạy: atgt db upgrade"),
    "run.schema_missing": (
        "Cơ sở dữ liệu còn trống (chưa tạo bảng nào). Hãy chạy: atgt db upgrade "
        "(và kiểm tra ATGT_DATABASE_URL trỏ đúng cơ sở dữ liệu)."
    ),
    "run.telegram_token_refused": (
        "Telegram từ chối token của bot (ATGT_TELEGRAM_TOKEN) hoặc địa chỉ "
        "ATGT_TELEGRAM_API_URL ({url}) không phải Bot API.\n"
        "Hãy kiểm tra lại token do @BotFather cấp và bỏ ATGT_TELEGRAM_API_URL nếu không dùng "
        "máy chủ Bot API riêng."
    ),
    "run.telegram_unreachable": (
        "Không kết nối được tới Telegram ({url}).\n"
        "Hãy kiểm tra mạng, tường lửa hoặc proxy của máy chủ và giá trị ATGT_TELEGRAM_API_URL."
    ),
    "run.telegram_failed": "Telegram trả lỗi khi khởi động: {error}",
    "run.healthz_port_busy": (
        "Không mở được cổng {host}:{port} cho /healthz ({error}).\n"
        "Hãy đổi ATGT_WEBHOOK_PORT hoặc dừng chương trình đang dùng cổng này."
    ),
    "cli.unexpected": (
        "Lỗi không mong đợi: {error}\n"
        "Chạy lại với --debug (ví dụ: atgt --debug run) để xem chi tiết và gửi cho người hỗ trợ."
    ),
    "cli.interrupted": "Đã dừng theo yêu cầu.",
    "cli.db_not_initialised": (
        "Cơ sở dữ liệu chưa được khởi tạo hoặc chưa nâng cấp (thiếu bảng {table}).\n"
        "Hãy chạy: atgt db upgrade"
    ),
    "cli.db_outdated": (
        "Cơ sở dữ liệu chưa ở phiên bản mới nhất (thiếu cột {column}).\nHãy chạy: atgt db upgrade"
    ),
    "cli.db_missing": (
        "Cơ sở dữ liệu {name!r} không tồn tại trên máy chủ PostgreSQL {host}.\n"
        "Hãy tạo nó (ví dụ: createdb {name}) hoặc sửa tên trong ATGT_DATABASE_URL."
    ),
    "cli.db_auth": (
        "PostgreSQL {host} từ chối đăng nhập của người dùng {user!r}.\n"
        "Hãy kiểm tra tên người dùng và mật khẩu trong ATGT_DATABASE_URL."
    ),
    "cli.db_unreachable": (
        "Không kết nối được tới PostgreSQL {host}: máy chủ chưa chạy, sai địa chỉ hoặc cổng.\n"
        "Hãy khởi động PostgreSQL (systemctl start postgresql) hoặc sửa ATGT_DATABASE_URL."
    ),
    "cli.db_file": (
        "Không mở được tệp cơ sở dữ liệu SQLite {path}.\n"
        "Hãy kiểm tra thư mục có tồn tại và có quyền ghi, hoặc sửa ATGT_DATABASE_URL."
    ),
    "cli.db_error": (
        "Cơ sở dữ liệu báo lỗi: {error}\n"
        "Hãy kiểm tra ATGT_DATABASE_URL và chạy atgt db upgrade; thêm --debug để xem chi tiết."
    ),
    "cli.network_error": (
        "Không kết nối được tới {target}: {error}\n"
        "Hãy kiểm tra mạng, tường lửa hoặc proxy của máy chủ và địa chỉ đã cấu hình."
    ),
    "cli.os_error": "Không đọc/ghi được {path}: {reason}.",
    "cli.sqlite_file": "không mở được tệp SQLite (thư mục không tồn tại hoặc không có quyền)",
    "cli.debug_help": "Hiện đầy đủ traceback khi có lỗi (dành cho người hỗ trợ kỹ thuật).",
    "cli.settings_error": "Không khởi động được: {error}",
    "cli.settings_invalid": "Cấu hình không hợp lệ — {problems}",
    "cli.settings_fix": "Hãy sửa biến môi trường (hoặc tệp .env) tương ứng rồi chạy lại.",
    "settings.not_number": "phải là một số, ví dụ 10 hoặc 2.5",
    "settings.not_integer": "phải là một số nguyên",
    "settings.not_bool": "phải là true hoặc false",
    "settings.not_numbers": "phải là danh sách số cách nhau bởi dấu phẩy, ví dụ 1,2,4",
    "settings.too_small": "phải lớn hơn {limit}",
    "settings.too_small_or_equal": "phải từ {limit} trở lên",
    "settings.too_large": "phải nhỏ hơn {limit}",
    "settings.too_large_or_equal": "không được lớn hơn {limit}",
    "settings.invalid": "giá trị không hợp lệ",
    "settings.log_level": "mức ghi log phải là một trong {levels}",
    "cli.content_bad": "Nội dung có {count} lỗi:",
    "cli.content_ok": "Nội dung hợp lệ: {quizzes} câu đố, {reminders} nhắc nhở.",
    "cli.content_refused": "Bot không khởi động vì nội dung không hợp lệ. {issues}",
    "cli.content_review_none": "Không có mục nào cần rà soát tính đến {day}.",
    "cli.content_review_count": (
        "{count} mục cần rà soát tính đến {day} (chưa rà soát: {never}; căn cứ sửa đổi sau lần "
        "rà soát gần nhất: {amended}; hết hiệu lực trong 30 ngày: {expiring}):"
    ),
    "cli.content_review_ok": "Đã ghi xác nhận mục {id} ({by}, {when}).",
    "cli.content_review_end": "Đã ghi: mục {id} thôi sử dụng từ {day} ({by}, {when}).",
    "content_review.never": "chưa có bản ghi rà soát",
    "content_review.amended": "căn cứ được sửa đổi bởi {by} từ {day}, sau lần rà soát {reviewed}",
    "content_review.amended_unreviewed": "căn cứ được sửa đổi bởi {by} từ {day}",
    "content_review.expiring": "hết hiệu lực sau ngày {day}",
    "content_review.line": "{id} ({topic}): {reasons}",
    "content_review.unknown": "Không có mục nội dung {id}.",
    "content_review.need_one": 'Hãy chọn đúng một trong hai: --ok "ghi chú" hoặc --end NGÀY.',
    "content_review.need_by": 'Cần ghi người quyết định (--by "Họ tên, chức vụ").',
    "content_review.need_note": "Ghi chú xác nhận không được để trống.",
    "content_review.end_too_early": (
        "Mục {id} có hiệu lực từ {day}; ngày thôi sử dụng phải sau ngày đó."
    ),
    "content_review.notice": (
        "⚖️ Rà soát nội dung luật: {count} mục sẽ hết hiệu lực trong 30 ngày tới.\n{items}\n"
        "Xem và quyết định: atgt content review."
    ),
    "content_review.notice_line": "- {id}: dùng đến hết ngày {day}",
    "content_review.notice_more": "- và {count} mục khác",
    "cli.jobs_next": "lần tới: {when}",
    "cli.jobs_last": "lần gần nhất: {when}, {outcome}",
    "cli.bad_date": "Ngày {value!r} không hợp lệ (dd/mm/yyyy).",
    "cli.backup_done": "Đã sao lưu vào {path}.",
    "cli.restore_done": "Đã khôi phục từ {path}.",
    "cli.restore_confirm": (
        "Khôi phục sẽ thay thế toàn bộ dữ liệu hiện tại; thêm --yes để xác nhận."
    ),
    "cli.forget_confirm": (
        "Xóa vĩnh viễn dữ liệu của một người: thêm --yes để xác nhận "
        "(và --export TỆP.json nếu cần lưu lại trước)."
    ),
    "cli.export_done": "Đã xuất dữ liệu ra {path}.",
    "cli.forget_done": "Đã xóa {code} và {count} bản ghi liên quan.",
    "cli.bad_role": (
        "Vai trò {value!r} không hợp lệ (nhân viên, quản lý, quản trị viên; "
        "hoặc employee, manager, admin)."
    ),
    "cli.file_unreadable": "Không đọc được tệp {path}: {reason}",
    "cli.not_utf8": "không phải văn bản UTF-8 (hãy lưu lại tệp với mã hóa UTF-8)",
    "cli.bad_yaml": "sai cú pháp YAML ở dòng {line}",
    "cli.broadcast_need_text": "Cần --text-file TỆP chứa nội dung thông báo.",
    "cli.broadcast_sending": "Đang gửi thông báo số {id}",
    "cli.campaign_dates": "Ngày kết thúc phải sau ngày bắt đầu.",
    "cli.form_shape": "{path}: cần một danh sách từ 1 đến 10 câu hỏi dạng {{key, text}}.",
    "cli.form_item": (
        "{path}: câu hỏi thứ {number} cần đúng hai trường key (không dấu, không trùng) và text."
    ),
    "cli.bad_due": "Hạn {value!r} không hợp lệ (ví dụ đúng: 'T6 17:00').",
    "cli.campaign_created": "Đã tạo đợt thi đua số {id}: {name}.",
    "cli.campaign_line": "{id}. {name}: {start} – {end}",
    "cli.campaign_unknown": "Không có đợt thi đua số {id}.",
    "cli.campaign_announced": "Đã xếp {count} lời mời đăng ký vào hàng đợi gửi.",
    "cli.jobs_ran": "Đã chạy lịch {id}: {count} tin nhắn vào hàng đợi gửi.",
    "cli.jobs_ran_failed": "{failed} người không gửi được (lỗi đầu tiên: {error}).",
    "cli.jobs_failed": "Lịch {id} chạy lỗi, không gửi tin nào: {error}",
    "cli.db_upgraded": "Đã nâng cấp cơ sở dữ liệu lên phiên bản mới nhất.",
    # Roster files: one problem each, shown after "file, " (issue 15)
    "roster.where_row": "dòng {row}",
    "roster.where_column": "cột {column!r}",
    "roster.no_file": "không đọc được tệp: không có tệp này",
    "roster.cannot_open": "không đọc được tệp: không mở được (quyền truy cập hoặc đường dẫn)",
    "roster.broken": "không đọc được tệp: tệp hỏng hoặc không đúng định dạng",
    "roster.no_header": "không tìm thấy dòng tiêu đề (cần các cột {columns}) trong {rows} dòng đầu",
    "roster.missing_column": "thiếu cột bắt buộc",
    "roster.after_footer": "dòng này nằm sau phần chân trang (dòng {footer}); hãy xóa chân trang",
    "roster.hidden_char": "có ký tự ẩn hoặc đảo chiều chữ ({char}); hãy gõ lại ô này",
    "roster.no_code": "thiếu mã nhân viên",
    "roster.bad_code": "mã {code} chỉ được gồm chữ, số, dấu chấm, gạch ngang (tối đa 64 ký tự)",
    "roster.no_name": "thiếu họ tên",
    "roster.long_name": "họ tên dài quá 200 ký tự ({name})",
    "roster.bad_role": "vai trò {role} không hợp lệ (nhân viên, quản lý, quản trị)",
    "roster.bad_phone": "số điện thoại {phone} không hợp lệ",
    "roster.no_unit": "thiếu đơn vị",
    "roster.empty_segment": "đường dẫn đơn vị {path} có đoạn trống",
    "roster.slash_in_level": "tên đơn vị {name} có dấu “/” (tệp đã chia cấp đơn vị theo cột)",
    "roster.long_unit": "tên đơn vị dài quá 200 ký tự ({path})",
    "roster.duplicate": "mã {code} trùng với dòng {row}",
    "roster.same_person": (
        "{name} trùng họ tên và đơn vị với dòng {row}, thiếu số điện thoại để phân biệt; "
        "hãy thêm cột Mã NV hoặc số điện thoại"
    ),
    "roster.same_row": "{name} trùng họ tên, đơn vị và số điện thoại với dòng {row}",
    "roster.matches_many": (
        "{name} trùng họ tên và đơn vị với {count} người đã có (mã {codes}), không rõ là ai; "
        "hãy thêm cột Mã NV"
    ),
    "roster.matches_unclear": (
        "{name} trùng họ tên và đơn vị với dòng {rows}, không rõ dòng nào là người đã có mã "
        "{codes}; hãy thêm cột Mã NV"
    ),
    "roster.bad_type": "chỉ nhận tệp .xlsx, .csv hoặc .txt (Excel cũ .xls: hãy lưu lại dạng .xlsx)",
    "roster.too_large": "tệp lớn {size} MB, vượt giới hạn {limit} MB",
    "roster.sheet_for_xlsx": "chỉ tệp .xlsx mới có trang tính để chọn (--sheet)",
    "roster.too_many_rows": "tệp có quá {limit} dòng có dữ liệu",
    "roster.bad_csv_line": "dòng {row}: ô quá dài hoặc hỏng, không đọc được",
    "roster.unpacked_too_large": "tệp giải nén vượt giới hạn {limit} MB",
    "roster.part_too_large": "phần {part} của tệp vượt giới hạn {limit} MB",
    "roster.unknown_sheet": "không có trang tính «{sheet}»; tệp có: {sheets}",
    "roster.too_many_merges": "tệp có quá {limit} vùng ô gộp",
    "status.title": "Tình trạng bot ATGT",
    "status.channels": "Kênh:",
    "status.channel_line": "  {channel}: {state} từ {since}, tiến trình {process}{extra}",
    "status.state.running": "đang chạy",
    "status.state.stopped": "đã dừng",
    "status.state.failed": "lỗi khi khởi động",
    "status.channel_never": "  {channel}: chưa chạy lần nào",
    "status.mode.polling": "nhận tin bằng polling",
    "status.mode.webhook": "nhận tin qua webhook",
    "status.not_configured": "chưa cấu hình trong lần chạy lệnh này",
    "status.no_channel": "  Chưa cấu hình kênh nào (ATGT_TELEGRAM_TOKEN, ATGT_ZALO_BOT_TOKEN...).",
    "status.backlog": "Hàng đợi gửi (chờ gửi / đang gửi / lỗi):",
    "status.backlog_line": "  {channel}: {pending} / {sending} / {failed}{oldest}",
    "status.backlog_oldest": " (tin chờ lâu nhất từ {when})",
    "status.backlog_empty": "  Không có tin nhắn nào đang chờ.",
    "status.usage": "Tin nhắn Zalo tháng {month} (theo cách Zalo tính):",
    "status.usage_bot": (
        "  Zalo Bot: gửi {sent}, nhận {received}, tổng {used}/{quota} ({percent}%); "
        "dự kiến cả tháng khoảng {projected}"
    ),
    "status.usage_over": " — sẽ hết hạn mức trước cuối tháng",
    "status.usage_oa": (
        "  Zalo OA: gửi {sent} tin tư vấn, nhận {received}; tin mẫu ZBS {templates}/{budget} "
        "(dự kiến cả tháng khoảng {projected})"
    ),
    "status.schedules": "Lịch tự động, lần chạy gần nhất:",
    "status.schedule_ran": "  {schedule} — lần gần nhất: {when}, {outcome}",
    "status.schedule_never": "  {schedule} — chưa chạy lần nào",
    "status.schedules_none": "  Chưa có lịch nào.",
    "status.run.sent": "gửi tới {count} người",
    "status.run.failed_some": "{failed} người lỗi (lỗi đầu tiên: {error})",
    "status.run.failed": "lỗi, không gửi được ({error})",
    "status.run.skipped": "bỏ qua (ngày nghỉ hoặc không có người nhận)",
    "status.leaders": "Tiến trình chính (mỗi việc chỉ một tiến trình làm):",
    "status.role.scheduler": "Chạy lịch tự động",
    "status.role.sender": "Gửi tin {channel}",
    "status.role_held": "  {role}: tiến trình {process} (kết nối PostgreSQL {pid})",
    "status.role_free": "  {role}: không tiến trình nào đảm nhận (bot có đang chạy không?)",
    "status.role_sqlite": "  {role}: tiến trình {process}, từ {since} (SQLite: một tiến trình)",
    "status.leaders_none": "  Chưa có tiến trình atgt run nào ghi nhận.",
    "cli.roster_rejected": "Tệp {path} bị từ chối ({count} lỗi), không có gì được ghi:",
    "cli.roster_done": (
        "{mode}: thêm mới {created}, cập nhật {updated}, không đổi {unchanged}, đơn vị mới {units}."
    ),
    "cli.roster_issue": "  - {file}, {issue}",
    "cli.roster_more": "  … và {count} lỗi khác.",
    "cli.roster_new_units": "Đơn vị mới ({count}): {units}",
    "cli.roster_deactivated": (
        "Đánh dấu nghỉ {count} người có trong hệ thống (cùng đơn vị cấp cao nhất) "
        "nhưng không có trong tệp; dữ liệu của họ được giữ nguyên."
    ),
    "cli.roster_mode_dry": "Chạy thử (không ghi gì)",
    "cli.roster_mode_real": "Đã nhập",
    "cli.roster_codeless": (
        "Tệp không có cột mã nhân viên: người đã có được nhận ra theo số điện thoại, "
        "nếu không thì theo họ tên trong đơn vị; người mới được cấp mã."
    ),
    "cli.roster_new_codes": "Mã nhân viên mới ({count}):",
    "cli.roster_new_code": "  {code} — {name} (dòng {row})",
    "cli.roster_more_codes": (
        "  … và {count} mã khác (xem bằng atgt invite create --unit … --xlsx)."
    ),
    "cli.org_empty": "Chưa có đơn vị nào. Hãy nhập danh sách: atgt org import TỆP.",
    "cli.org_root": "Tổ chức",
    "cli.people": "{count} người",
    "cli.person_unknown": "Không có nhân viên mã {code}.",
    "cli.unit_unknown": "Không có đơn vị {path}.",
    "cli.unit_unknown_suggest": "Không có đơn vị {path}. Có phải «{suggestion}»?",
    "cli.invite_one": "Mã mời cho {name} ({code}): {invite}\nHết hạn: {expires}",
    "cli.invite_link": "Đường link Telegram: {link}",
    "cli.invite_no_link": (
        "(Chưa biết tên bot Telegram: chạy atgt run một lần hoặc đặt ATGT_TELEGRAM_BOT_USERNAME "
        "để in kèm đường link.)"
    ),
    "cli.invite_web_link": "Đường link web: {link}",
    "cli.web_keys_made": (
        "Đã tạo khóa Web Push; khởi động lại atgt run để dùng.\nKhóa công khai: {public}"
    ),
    "cli.web_keys_exist": (
        "Đã có khóa Web Push (tạo ngày {date}). Thêm --replace để tạo khóa mới "
        "(mọi trình duyệt sẽ phải bật thông báo lại)."
    ),
    "cli.invite_bulk": "Đã tạo {count} mã mời cho đơn vị {path}, lưu tại {out}.",
    "cli.invite_sheet": "Mã mời",
    "cli.invite_header": (
        "Mã NV|Họ tên|Đơn vị|SĐT|Mã mời|Link Telegram|Link web|Hết hạn|Tin nhắn mời|Mã QR"
    ),
    "cli.invite_message": (
        "Kính gửi anh/chị {name}, anh/chị được mời tham gia hệ thống thi đua an toàn giao "
        "thông của cơ quan. Đề nghị anh/chị mở đường link {link}, "
        "hoặc gửi cho bot tin nhắn: /start {code}. Mã mời chỉ dùng một lần, hết hạn lúc "
        "{expires}."
    ),
    "cli.invite_message_no_link": (
        "Kính gửi anh/chị {name}, anh/chị được mời tham gia hệ thống thi đua an toàn giao "
        "thông của cơ quan. Đề nghị anh/chị mở bot của cơ quan (Telegram hoặc Zalo) và gửi "
        "tin nhắn: /start {code}. Mã mời chỉ dùng một lần, hết hạn lúc {expires}."
    ),
    "cli.invite_notes_sheet": "Ghi chú",
    "cli.invite_note": (
        "Cột «Tin nhắn mời» là nội dung soạn sẵn để gửi cho từng người (thư, tin nhắn SMS, "
        "Zalo). Cột «Mã QR» dùng để in phiếu mời: quét bằng camera điện thoại sẽ mở đường "
        "link mời của người đó (link web nếu có, nếu không thì link Telegram). Mỗi mã chỉ "
        "dùng một lần; đề nghị không gửi mã của người này cho người khác."
    ),
    "cli.invite_no_link_bulk": (
        "Chưa biết tên bot Telegram (ATGT_TELEGRAM_BOT_USERNAME) nên tệp không có đường link "
        "mời; tin nhắn mời hướng dẫn gửi /start MÃ_MỜI. Đặt tên bot rồi tạo lại mã nếu cần "
        "đường link."
    ),
    "cli.invite_need_target": "Hãy chọn --person MÃ hoặc --unit ĐƯỜNG_DẪN --xlsx TỆP.",
    "cli.invite_need_xlsx": "Tạo mã hàng loạt cần --xlsx TỆP để lưu kết quả.",
    # Plan questions and answers (issue 6)
    "qa.source": "Nguồn: {document}, {section}.",
    "fine.header": "Mức phạt theo nội dung luật đã được kiểm chứng, đang áp dụng:",
    "fine.quiz": "{question}\n→ {answer}. {explanation}",
    "fine.item": "{text}\nCăn cứ: {basis}. Áp dụng từ ngày {since}.",
    "fine.footer": (
        "Mức phạt cụ thể do người có thẩm quyền quyết định trong khung trên; khi cần chắc chắn, "
        "anh/chị đối chiếu văn bản gốc."
    ),
    "fine.none": (
        "Hiện chưa có mức phạt đã được kiểm chứng cho hành vi này trong nội dung của bot, nên "
        "không thể trả lời con số. Anh/chị hãy nêu rõ hành vi và loại xe (ví dụ: “mức phạt "
        "nồng độ cồn xe máy”), hoặc tra Nghị định 168/2024/NĐ-CP (đã sửa đổi bởi Nghị định "
        "238/2026/NĐ-CP) và hỏi bộ phận pháp chế."
    ),
    "qa.not_found": (
        "Các văn bản của đơn vị anh/chị không có thông tin để trả lời câu hỏi này. "
        "Anh/chị thử hỏi cách khác, hoặc liên hệ Văn phòng/đầu mối phong trào của đơn vị."
    ),
    "qa.no_plan": (
        "Đơn vị của anh/chị chưa có kế hoạch nào trên hệ thống, và các quy định giao thông "
        "trên hệ thống cũng không nói về điều này."
    ),
    "qa.unsure": "Hệ thống chưa chắc đã hiểu đúng câu hỏi. Có phải anh/chị muốn hỏi…",
    "qa.unsure_best": (
        "Chưa chắc đã hiểu đúng câu hỏi. Có phải ý anh/chị là:\n{answer}\n"
        "(Nguồn: {document}, {section}.) Nếu chưa đúng, anh/chị chọn một gợi ý bên dưới "
        "hoặc hỏi cụ thể hơn."
    ),
    "qa.not_understood": (
        "Hệ thống chưa hiểu câu hỏi. Anh/chị vui lòng gõ câu hỏi bằng chữ, ví dụ: "
        "“Kế hoạch thực hiện đến khi nào?” hoặc “Ai chịu trách nhiệm báo cáo?”"
    ),
    "qa.empty": (
        "Tin nhắn trống. Anh/chị vui lòng gõ câu hỏi, ví dụ: “Kế hoạch thực hiện đến khi nào?”"
    ),
    "qa.too_long": "(Câu hỏi dài quá nên hệ thống chỉ đọc {count} ký tự đầu.)",
    "qa.greeting": (
        "Chào {name}! Anh/chị có thể gõ câu hỏi về kế hoạch thi đua hoặc luật giao thông, "
        "có dấu hay không dấu đều được. Gõ /help để xem các lệnh."
    ),
    "qa.thanks": "Không có gì. Anh/chị cần thông tin gì cứ hỏi.",
    "qa.demo_hint": (
        "Anh/chị cũng có thể hỏi về kế hoạch thi đua của đơn vị, ví dụ: "
        "“ke hoach den khi nao”, “chủ đề năm là gì?”, “ai ký kế hoạch?”."
    ),
    "qa.expired": "Gợi ý này không còn áp dụng. Anh/chị vui lòng gõ lại câu hỏi.",
    "qa.section": "Mục {id}",
    "qa.section_item": "Mục {id}, ý {n}",
    "qa.section_preamble": "Phần mở đầu",
    "qa.section_closing": "Phần kết",
    "qa.section_title": "Tên văn bản",
    "qa.section_header": "Phần tiêu đề",
    "qa.section_signer": "Phần ký",
    "qa.doc_number": "Kế hoạch số {number}",
    "qa.doc_number_date": "Kế hoạch số {number} ngày {date}",
    "qa.doc_title": "Kế hoạch “{title}”",
    "qa.doc_title_issuer": "Kế hoạch “{title}” của {issuer}",
    "qa.doc_unknown": "Văn bản không rõ số hiệu (tệp {file})",
    "qa.when_title": (
        "Văn bản không ghi ngày bắt đầu, kết thúc cụ thể; theo tên văn bản, "
        "kế hoạch thực hiện trong năm {year}: “{title}”."
    ),
    "qa.basis": "Căn cứ: {refs}.",
    "qa.theme": "Chủ đề: “{theme}”.",
    "qa.signer": "Người ký: {name}.",
    "qa.signer_title": "Người ký: {name} ({title}).",
    "qa.signer_context": "người ký chức vụ chức danh họ tên",
    "qa.issued_number": "Kế hoạch số {number}",
    "qa.issuer": "Cơ quan ban hành: {issuer}.",
    "plans.table_lead": "{unit} chủ trì: {content}",
    "plans.table_coop": "phối hợp: {units}",
    "plans.table_due": "thời hạn: {due}",
    "qa.issuer_place": "Cơ quan ban hành: {issuer} ({place}).",
    "qa.authority": "{authority} ký quyết định.",
    "qa.recipients": "Nơi nhận: {items}.",
    "qa.proposer": "Theo đề nghị của {proposer}.",
    "qa.issued_date": "ban hành tại {place} ngày {date}",
    "qa.ask_when": "Kế hoạch thực hiện đến khi nào?",
    "qa.ask_who": "Đơn vị nào chịu trách nhiệm thực hiện?",
    "qa.ask_amount": "Chỉ tiêu của kế hoạch là gì?",
    "qa.ask_basis": "Kế hoạch căn cứ văn bản nào?",
    "qa.ask_theme": "Chủ đề năm là gì?",
    "qa.ask_report": "Báo cáo kết quả khi nào, gửi ai?",
    "qa.ask_signer": "Ai ký kế hoạch?",
    "qa.ask_issued": "Kế hoạch số mấy, ban hành ngày nào?",
    "qa.ask_issuer": "Cơ quan nào ban hành?",
    "qa.ask_recipients": "Nơi nhận gồm những ai?",
    "qa.ask_proposer": "Ban hành theo đề nghị của ai?",
    "cli.plan_imported": "Tệp {file} → {unit}: thêm {created} kế hoạch, đã có sẵn {existing}.",
    "cli.plan_row": "  #{id}: {label}",
    "cli.plan_row_file": "  #{id}: {label} · tệp {file}",
    "cli.plan_row_unit": "  #{id}: {label} · {unit}",
    "cli.plan_applies": "Kế hoạch áp dụng cho {unit} (đơn vị gần nhất trước):",
    "cli.plan_replaced": "  Đã thay kế hoạch cũ #{id} ({label}).",
    "cli.plan_same_number": (
        "Đơn vị {unit} đã có kế hoạch số {number} (#{id}, tệp {file}) với nội dung khác."
    ),
    "cli.plan_replace_ask": "Thay kế hoạch cũ bằng bản mới?",
    "cli.plan_replace_hint": (
        "Chưa nhập gì. Thêm --replace để thay kế hoạch cũ bằng bản mới cùng số hiệu."
    ),
    "cli.plan_removed": "Đã xoá kế hoạch #{id} ({label}) của {unit}.",
    "cli.plan_unit_unknown": (
        "Không có đơn vị {path}. Kiểm tra lại đường dẫn (xem: atgt org show), "
        "hoặc thêm --create-unit để tạo đơn vị mới."
    ),
    "cli.plan_id_unknown": "Không có kế hoạch số #{id} trong cơ sở dữ liệu.",
    "cli.plan_none": "Chưa có kế hoạch nào. Nhập bằng: atgt plan import TỆP --unit ĐƠN_VỊ",
    "cli.plan_none_for_unit": "Đơn vị {path} và các đơn vị cấp trên chưa có kế hoạch nào.",
    "cli.plan_header": "=== #{id} · {unit} · {file} ===",
    "cli.plan_list": "{unit}:",
    "cli.ask_suggestions": "Gợi ý: {items}",
    # Zalo (Bot Platform and Official Account)
    "zalo.pick_hint": "Trả lời bằng số thứ tự của lựa chọn (ví dụ: 1).",
    "zalo.read_by_reply": (
        "(Không cần trả lời để xác nhận: tin nhắn tiếp theo anh/chị gửi cho bot sẽ được "
        "tính là đã đọc thông báo này.)"
    ),
    "zalo.tap_hint": "Bấm nút bên dưới, hoặc trả lời bằng số thứ tự (ví dụ: 1).",
    "zalo.file_unsupported": (
        "(Tệp {filename} không gửi được qua Zalo. Anh/chị vui lòng xem trên Telegram "
        "hoặc liên hệ quản trị viên.)"
    ),
    "zalo.alert_zalo_bot_quota": (
        "⚠️ Zalo Bot đã dùng hết hạn mức tin nhắn (lỗi 429). Tin nhắn qua Zalo Bot đang "
        "tạm dừng và sẽ được gửi lại sau. Hãy cân nhắc nâng gói, hoặc mời mọi người "
        "dùng Telegram hay Zalo OA."
    ),
    "zalo.alert_zalo_bot_quota_80": (
        "⚠️ Zalo Bot đã dùng {used}/{quota} tin nhắn của tháng {month} (tính cả tin gửi và "
        "tin nhận). Khi hết hạn mức, bot sẽ tạm dừng gửi qua Zalo Bot đến đầu tháng sau. "
        "Với hơn 50 người hoặc nhiều tin nhắn, nên chuyển sang Zalo OA."
    ),
    "zalo.bot_limit_near": (
        "⚠️ Zalo Bot đã có {users} người dùng; với các mã mời này có thể lên {total} người, "
        "gần giới hạn {limit} người của gói Zalo Bot miễn phí. Nếu cơ quan đông hơn, nên "
        "chuyển sang Zalo OA (xem docs/OPERATIONS.md)."
    ),
    "zalo.bot_limit_full": (
        "⚠️ Zalo Bot đã có {users} người dùng; với các mã mời này có thể lên {total} người, "
        "vượt giới hạn {limit} người của gói Zalo Bot miễn phí: người thứ {limit} trở đi "
        "có thể không nhắn được với bot. Hãy chuyển sang Zalo OA (xem docs/OPERATIONS.md), "
        "hoặc để những người còn lại dùng kênh khác."
    ),
    "zalo.alert_zalo_oa_templates_quota_80": (
        "⚠️ Zalo OA đã gửi {used}/{quota} tin mẫu ZBS của ngân sách tháng {month}. Khi hết "
        "ngân sách, người quá 7 ngày không tương tác sẽ không nhận được tin cho đến tháng sau "
        "(danh sách: atgt zalo unreachable). Có thể tăng ATGT_ZALO_OA_TEMPLATE_BUDGET."
    ),
    "zalo.alert_zalo_oa_quota": (
        "⚠️ Zalo OA đã dùng hết hạn mức tin nhắn (lỗi -211). Tin nhắn qua Zalo OA đang "
        "tạm dừng và sẽ được gửi lại sau."
    ),
    "zalo.alert_zalo_oa_token": (
        "⚠️ Zalo OA từ chối mã làm mới (refresh token), nên bot không gửi được tin qua "
        "Zalo OA. Quản trị viên OA cần cấp quyền lại cho ứng dụng, đặt mã mới vào "
        "ATGT_ZALO_OA_REFRESH_TOKEN rồi khởi động lại bot."
    ),
    "zalo.bot_refused": (
        "Zalo Bot không khởi động được ({error}). Hãy kiểm tra ATGT_ZALO_BOT_TOKEN "
        "trong Zalo Bot Manager và ATGT_ZALO_BOT_API_URL."
    ),
    "zalo.bot_unreachable": (
        "Không kết nối được tới Zalo Bot API ({url}).\n"
        "Hãy kiểm tra mạng, tường lửa hoặc proxy của máy chủ và giá trị ATGT_ZALO_BOT_API_URL."
    ),
    "zalo.oa_refused": (
        "Không lấy được mã truy cập Zalo OA ({error}). Quản trị viên OA cần cấp quyền "
        "cho ứng dụng và đặt mã làm mới vào ATGT_ZALO_OA_REFRESH_TOKEN."
    ),
    "zalo.oa_unreachable": (
        "Không nhận được trả lời hợp lệ từ máy chủ cấp quyền Zalo OA ({url}; {error}).\n"
        "Hãy kiểm tra mạng, tường lửa hoặc proxy của máy chủ và ATGT_ZALO_OA_OAUTH_URL; "
        "mã làm mới chưa bị dùng, chạy lại sau khi sửa."
    ),
    "zalo.unreachable_header": "{count} người đã tham gia nhưng hiện không nhắn tin được:",
    "zalo.unreachable_line": "• {code} {name} ({unit}): {reasons}",
    "zalo.unreachable_none": "Mọi người đã tham gia đều đang nhắn tin được.",
    "zalo.unreachable_templates": (
        "Người dùng Zalo OA quá 7 ngày vẫn nhận {kinds} dưới dạng tin mẫu ZBS khi còn ngân "
        "sách (tháng này đã dùng {used}/{budget} tin)."
    ),
    "zalo.kind.reminder": "nhắc nhở",
    "zalo.kind.quiz": "câu đố",
    "zalo.kind.checkin": "báo cáo tuần",
    "zalo.kind.announcement": "thông báo",
    "zalo.reason_blocked": "{channel}: đã chặn hoặc bỏ theo dõi",
    "zalo.reason_window": (
        "{channel}: không tương tác từ {since} (quá {days} ngày, cần nhắn cho OA trước)"
    ),
    "zalo.template_status": "mẫu tin đang ở trạng thái {status}, chưa dùng được",
    "zalo.template_unknown_param": (
        "mẫu tin bắt buộc tham số «{name}» mà bot không gửi (bot chỉ gửi noi_dung và ngay)"
    ),
    "zalo.template_short_param": (
        "tham số «{name}» chỉ nhận {limit} ký tự, bot gửi tới {need} ký tự"
    ),
    "zalo.template_missing_param": "mẫu tin không có tham số «{name}» để chứa nội dung",
    "zalo.templates_none": (
        "Chưa cấu hình mẫu tin ZBS nào (ATGT_ZALO_OA_TEMPLATES, ví dụ "
        "reminder=123,quiz=456,checkin=789,announcement=321)."
    ),
    "zalo.templates_no_oa": (
        "Kênh Zalo OA chưa bật: cần ATGT_ZALO_OA_APP_ID và ATGT_ZALO_OA_SECRET_KEY."
    ),
    "zalo.template_ok": "✓ {kind} (mẫu {id}): khớp với tham số bot gửi.",
    "zalo.template_bad": "✗ {kind} (mẫu {id}): {problems}",
    "zalo.template_unreadable": "✗ {kind} (mẫu {id}): không đọc được thông tin mẫu ({error}).",
    "zalo.templates_budget": ("Ngân sách tin mẫu tháng {month}: đã dùng {used}/{budget} tin."),
    "zalo.reason_refused": (
        "{channel}: Zalo báo ngoài thời hạn nhắn tin lúc {when} (người này cần nhắn cho OA trước)"
    ),
    # Weekly digest, /baocao and `atgt report` (issue 8)
    "help.baocao": (
        "tổng hợp thi đua của đơn vị: tuần này (/baocao) hoặc tuần trước (/baocao truoc)"
    ),
    "schedule.kind.digest": "tổng hợp tuần cho lãnh đạo",
    "digest.header": "📊 Tổng hợp thi đua ATGT tuần {start} – {end}{partial}",
    "digest.partial": " (số liệu đến {today})",
    "digest.scope": "{unit}: {people} người tham gia đợt thi đua «{campaign}».",
    "digest.whole_org": "Toàn cơ quan",
    "digest.reported": "• Báo cáo tuần: {reported}/{people} người ({rate}){change}.",
    "digest.compliant": (
        "• Chấp hành đầy đủ: {compliant}/{reported} người đã báo cáo ({rate}){change}."
    ),
    "digest.compliant_hidden": (
        "• Chấp hành đầy đủ: được ẩn để bảo vệ thông tin cá nhân (dưới {k} người đã báo cáo, "
        "hoặc có thể suy ra nhóm như vậy từ số liệu của đơn vị khác)."
    ),
    "digest.late": "• Nộp sau hạn: {late}.",
    "digest.change_up": ", tăng {delta} điểm phần trăm so với tuần trước",
    "digest.change_down": ", giảm {delta} điểm phần trăm so với tuần trước",
    "digest.change_none": ", không đổi so với tuần trước",
    "digest.quiz": (
        "• Câu đố: {people}/{total} người tham gia ({rate}); "
        "trả lời đúng {correct}/{answered} câu ({accuracy})."
    ),
    "digest.quiz_none": "• Câu đố: chưa ai trả lời trong tuần.",
    "digest.topics": "• Chủ đề cần củng cố: {topics}.",
    "digest.topic": "{label} ({correct}/{answered} câu đúng)",
    "digest.rank": "• Xếp hạng thi đua: thứ {rank}/{rivals} đơn vị cùng cấp.",
    "digest.reads": "• Thông báo trong tuần: đã đọc {read}/{delivered} bản đã nhận ({rate}).",
    "digest.reads_none": "• Không có thông báo nào gửi trong tuần.",
    "digest.missing": "• Chưa báo cáo ({count}): {names}",
    "digest.missing_more": "{names} và {rest} người khác",
    "digest.all_reported": "• Tất cả đã báo cáo.",
    "digest.children": "Thi đua giữa các đơn vị trực thuộc (báo cáo · câu đố · đúng):",
    "digest.child": "{rank}. {name}: {reported} · {quiz} · {accuracy}",
    "digest.children_more": "… và {count} đơn vị khác (xem tệp Excel).",
    "digest.no_rate": "—",
    "digest.attachments": "Biểu đồ xu hướng và số liệu từng người ở tệp đính kèm.",
    "digest.chart_caption": "Xu hướng theo tuần: {unit}",
    "digest.xlsx_caption": "Số liệu từng người, tuần {start} – {end}",
    "digest.none": "Đơn vị anh/chị quản lý chưa có ai tham gia đợt thi đua đang diễn ra.",
    "chart.title": "{unit} — tỉ lệ theo tuần",
    "chart.reported": "Đã báo cáo",
    "chart.compliant": "Chấp hành đầy đủ (trong số đã báo cáo)",
    "chart.axis": "Tỉ lệ (%)",
    "topic.alcohol": "Nồng độ cồn",
    "topic.helmet": "Mũ bảo hiểm",
    "topic.phone": "Dùng điện thoại khi lái xe",
    "topic.seatbelt": "Dây an toàn",
    "topic.children": "An toàn cho trẻ em",
    "topic.speed": "Tốc độ, khoảng cách",
    "topic.signs": "Biển báo, tín hiệu",
    "topic.right_of_way": "Nhường đường",
    "topic.priority_vehicles": "Xe ưu tiên",
    "topic.licence": "Giấy phép lái xe",
    "topic.points": "Điểm giấy phép lái xe",
    "topic.expressway": "Đường cao tốc",
    "topic.passengers": "Chở người, chở hàng",
    "topic.general": "Quy tắc chung",
    "report.sheet_summary": "Tổng hợp",
    "report.sheet_units": "Đơn vị",
    "report.sheet_people": "Cá nhân",
    "report.units_header": (
        "Hạng cùng cấp|Đơn vị|Cấp|Số người|Đã đăng ký|Lượt báo cáo|Tỉ lệ báo cáo (%)|"
        "Chấp hành đầy đủ (%)|Nộp sau hạn|Tự khai vi phạm|Người làm câu đố|Câu trả lời|"
        "Câu đúng|Tỉ lệ đúng (%)|Nhắc nhở đã xác nhận (%)|Thông báo đã đọc (%)"
    ),
    "report.people_header": (
        "Hạng|Đơn vị|Mã NV|Họ tên|Ngày đăng ký|Tuần đã báo cáo|Số tuần|Tỉ lệ báo cáo (%)|"
        "Tuần chấp hành đầy đủ|Nộp sau hạn|Tự khai vi phạm|Câu trả lời|Câu đúng|"
        "Tỉ lệ đúng (%)|Nhắc nhở nhận|Đã xác nhận|Thông báo nhận|Đã đọc"
    ),
    "report.summary_header": "Mục|Giá trị",
    "report.summary_campaign": "Đợt thi đua",
    "report.summary_scope": "Phạm vi",
    "report.summary_days": "Thời gian",
    "report.summary_generated": "Lập lúc",
    "report.summary_weeks": "Số tuần báo cáo được tính (đã qua hạn)",
    "report.summary_units": "Số đơn vị có người tham gia",
    "report.summary_people": "Số người tham gia",
    "report.summary_registered": "Đã đăng ký thi đua",
    "report.summary_reported": "Tỉ lệ báo cáo tuần (%)",
    "report.summary_compliant": "Chấp hành đầy đủ trong số đã báo cáo (%)",
    "report.summary_violations": "Tự khai vi phạm",
    "report.summary_quiz": "Câu đố: câu đúng / câu trả lời",
    "report.summary_acks": "Nhắc nhở đã xác nhận / đã nhận",
    "report.summary_reads": "Thông báo đã đọc / đã nhận",
    "report.summary_order": "Cách xếp hạng",
    "report.summary_privacy": "Bảo vệ thông tin cá nhân",
    "report.privacy_text": (
        "Tỉ lệ chấp hành và số tự khai vi phạm chỉ hiện với nhóm từ {k} người trở lên "
        "(chấp hành: số người đã báo cáo); ô ghi «ẩn» là nhóm nhỏ hơn, hoặc nhóm mà trừ đi "
        "các đơn vị con sẽ suy ra được một nhóm nhỏ hơn. Số liệu từng cá nhân về chấp hành "
        "và vi phạm luôn được ẩn."
    ),
    "report.privacy_text_off": "Đợt thi đua này hiện đủ số liệu của mọi nhóm (ngưỡng 1 người).",
    "privacy.hidden_cell": "ẩn",
    "report.order_text": (
        "Đơn vị: tỉ lệ báo cáo tuần, rồi tỉ lệ người làm câu đố, rồi tỉ lệ trả lời đúng "
        "(xếp trong từng nhóm đơn vị cùng cấp). Cá nhân: đã đăng ký, số tuần báo cáo, số câu "
        "đúng, số nhắc nhở đã xác nhận, số thông báo đã đọc. Tự khai chấp hành và vi phạm "
        "không dùng để xếp hạng, để không khuyến khích khai không trung thực."
    ),
    "report.no_campaign": (
        "Không có đợt thi đua nào của đơn vị {unit} trong khoảng {start} – {end}."
    ),
    "report.written": "Đã ghi {people} người, {units} đơn vị vào {path}.",
    "report.line": (
        "{unit}: {people} người, báo cáo {reported}, chấp hành {compliant}, "
        "câu đố đúng {accuracy}, đọc thông báo {reads}"
    ),
    "report.bad_range": "Ngày kết thúc phải sau ngày bắt đầu.",
    "report.need_unit": "Cần --unit ĐƯỜNG_DẪN --from dd/mm/yyyy --to dd/mm/yyyy.",
}

# The command-line framework's own texts (typer's vendored click, English f-strings), as
# English pattern → Vietnamese; {name} matches any text and is carried over (bot/cli/vi.py).
CLI_FRAMEWORK: dict[str, str] = {
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Usage: ": "Cách dùng: ",
    "[OPTIONS]": "[TÙY_CHỌN]",
    # Value types shown next to options ("" hides it: flags take no value).
    "<str>": "<chữ>",
    "<int>": "<số nguyên>",
    "<float>": "<số>",
    "<bool>": "",
    "<path>": "<đường dẫn>",
    "<file>": "<tệp>",
    "<directory>": "<thư mục>",
    "COMMAND [ARGS]...": "LỆNH [THAM_SỐ]...",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Arguments": "Tham số",
    "Error": "Lỗi",
    "Aborted!": "Đã hủy.",
    "Aborted.": "Đã hủy.",
    "Try '{command} {option}' for help.": "Gõ '{command} {option}' để xem hướng dẫn.",
    "Try [blue]'{command_path} {help_option}'[/] for help.": (
        "Gõ [blue]'{command_path} {help_option}'[/] để xem hướng dẫn."
    ),
    "[default: {}]": "[mặc định: {}]",
    "[required]": "[bắt buộc]",
    "[env var: {}]": "[biến môi trường: {}]",
    "(deprecated) ": "(không còn dùng) ",
    # Usage errors (whole messages; the inner {message} is translated too)
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Invalid value for {hint}: {message}": "Giá trị của {hint} không hợp lệ: {message}",
    "Missing argument {hint}. {message}": "Thiếu tham số {hint}. {message}",
    "Missing argument {hint}.": "Thiếu tham số {hint}.",
    "Missing option {hint}. {message}": "Thiếu tùy chọn {hint}. {message}",
    "Missing option {hint}.": "Thiếu tùy chọn {hint}.",
    "Missing parameter: {name}": "Thiếu tham số: {name}",
    "Missing command.": "Thiếu lệnh. Gõ --help để xem các lệnh.",
    "No such option: {name} (Possible options: {options})": (
        "Không có tùy chọn {name} (có thể là: {options})"
    ),
    "No such option: {name}": "Không có tùy chọn {name}",
    "No such command {name}. Did you mean {suggestions}?": (
        "Không có lệnh {name}. Có phải ý anh/chị là {suggestions}?"
    ),
    "No such command {name}.": "Không có lệnh {name}.",
    "Option {name} requires an argument.": "Tùy chọn {name} cần một giá trị.",
    "Option {name} requires {count} arguments.": "Tùy chọn {name} cần {count} giá trị.",
    "Option {name} does not take a value.": "Tùy chọn {name} không nhận giá trị.",
    "Got unexpected extra argument ({args})": "Thừa tham số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các tham số ({args})",
    "Could not open file {name}: {message}": "Không mở được tệp {name}: {message}",
    "Value {value} is not a valid {kind}.": "Giá trị {value} không hợp lệ ({kind}).",
    "{value} is not one of {choices}.": "{value} không thuộc các giá trị {choices}.",
    "{value} does not match the formats {formats}.": "{value} không đúng dạng {formats}.",
    "File {name} does not exist.": "Tệp {name} không tồn tại.",
    "Directory {name} does not exist.": "Thư mục {name} không tồn tại.",
    "Path {name} does not exist.": "Đường dẫn {name} không tồn tại.",
    "File {name} is a directory.": "{name} là một thư mục, không phải tệp.",
    "Directory {name} is a file.": "{name} là một tệp, không phải thư mục.",
    "{kind} {name} is not readable.": "Không có quyền đọc {name}.",
    "{kind} {name} is not writable.": "Không có quyền ghi {name}.",
    "Input should be a valid integer{detail}": "cần một số nguyên",
    "Input should be a valid number{detail}": "cần một số",
    "Input should be a valid boolean{detail}": "cần true hoặc false",
    "Input should be a valid date{detail}": "cần một ngày hợp lệ",
    "Input should be a valid datetime{detail}": "cần ngày giờ hợp lệ",
    "Input should be greater than or equal to {limit}": "phải từ {limit} trở lên",
    "Input should be greater than {limit}": "phải lớn hơn {limit}",
    "Input should be less than or equal to {limit}": "không được lớn hơn {limit}",
    "Input should be less than {limit}": "phải nhỏ hơn {limit}",
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
    "web": "Trình duyệt web",
}


def t(key: str, **values: object) -> str:
    """The catalog text for `key`, formatted with `values`."""
    return CATALOG[key].format(**values)
