"""The data model: organisation, channel accounts, invites and processed events."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base


class Role(enum.StrEnum):
    """What a person may do; each role includes the ones before it."""

    EMPLOYEE = "employee"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """Position in the employee < manager < admin order."""
        return list(Role).index(self)


class AccountStatus(enum.StrEnum):
    """Whether we can reach a linked account."""

    ACTIVE = "active"
    BLOCKED = "blocked"
    LEFT = "left"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, same on SQLite and PostgreSQL."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [m.value for m in members],
    )


class Unit(Base):
    """An organisational unit; `path` is the slash-joined chain of names from the root."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(1000), unique=True)
    depth: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")


class Person(Base):
    """A member of staff, identified by the employee code from the roster."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_code: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.EMPLOYEE)
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    unit: Mapped[Unit] = relationship()
    accounts: Mapped[list[ChannelAccount]] = relationship(back_populates="person")


class ChannelAccount(Base):
    """One person's identity on one channel (Telegram, Zalo, console...)."""

    __tablename__ = "channel_account"
    __table_args__ = (UniqueConstraint("channel", "platform_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    platform_user_id: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str] = mapped_column(String(128))
    status: Mapped[AccountStatus] = mapped_column(
        _enum(AccountStatus, "account_status"), default=AccountStatus.ACTIVE
    )
    linked_at: Mapped[datetime]
    last_interaction_at: Mapped[datetime | None]
    # When the platform refused a message as outside its reply window (Zalo OA -230/-232/-227);
    # the account is reachable again once the person writes after it.
    window_closed_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship(back_populates="accounts")


class Invite(Base):
    """A one-time onboarding code; only its SHA-256 is stored."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("channel_account.id", ondelete="SET NULL")
    )
    # Who issued the code: a person in chat (/moi), or None with issued_via "cli" (the server).
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    issued_via: Mapped[str] = mapped_column(String(16), default="cli", server_default="cli")

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    issued_by: Mapped[Person | None] = relationship(foreign_keys=[issued_by_id])


class ProcessedEvent(Base):
    """A platform event already handled; the unique key makes redelivery a no-op."""

    __tablename__ = "processed_event"
    __table_args__ = (
        UniqueConstraint("channel", "event_id"),
        Index("ix_processed_event_processed_at", "processed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(128))
    processed_at: Mapped[datetime]


class OutboxStatus(enum.StrEnum):
    """Delivery state of one outbound message."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


class Outbox(Base):
    """One message to deliver, written in the same transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "channel", "status", "not_before"),
        Index("ix_outbox_platform_poll", "channel", "platform_poll_id"),
        # The web page reads one chat's delivered messages as its thread.
        Index("ix_outbox_chat", "channel", "chat_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(128))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("channel_account.id", ondelete="SET NULL"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # A business key (e.g. "reply:telegram:<update>:0") so an effect enqueues at most once.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    ref: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[OutboxStatus] = mapped_column(
        _enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    platform_message_id: Mapped[str | None] = mapped_column(String(64))
    platform_poll_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(String(500))


class Plan(Base):
    """An imported plan document (Kế hoạch) that applies to a unit and the units below it."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("unit_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the normalised text: importing the same document twice is a no-op.
    fingerprint: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    number: Mapped[str | None] = mapped_column(String(100))
    doc_date: Mapped[date | None]
    title: Mapped[str | None] = mapped_column(String(1000))
    issuer: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime]

    unit: Mapped[Unit] = relationship()


class Schedule(Base):
    """A recurring job (reminders, quizzes...) on days of the week at a local time."""

    __tablename__ = "schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    days: Mapped[str] = mapped_column(String(32))  # APScheduler day_of_week, e.g. "mon-fri"
    time: Mapped[str] = mapped_column(String(5))  # "HH:MM" local time
    timezone: Mapped[str] = mapped_column(String(64))
    skip_holidays: Mapped[bool] = mapped_column(default=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    unit: Mapped[Unit | None] = relationship()


class ScheduleRun(Base):
    """One occurrence of a schedule; the unique key makes a double fire a no-op."""

    __tablename__ = "schedule_run"
    __table_args__ = (UniqueConstraint("schedule_id", "occurrence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedule.id", ondelete="CASCADE"))
    occurrence: Mapped[datetime]
    fired_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # sent, skipped, failed
    recipients: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(String(200))
    # Recipients whose work was rolled back (the others still got theirs), and the first error.
    failed: Mapped[int] = mapped_column(default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(String(200))


class QuizDelivery(Base):
    """One quiz question given to one person; answered at most once."""

    __tablename__ = "quiz_delivery"
    __table_args__ = (
        UniqueConstraint("person_id", "run_id"),
        Index("ix_quiz_delivery_person_answered", "person_id", "answered_at"),
        # Weekly reports read one week of answers in time order, without the table.
        Index("ix_quiz_delivery_answered", "answered_at", "person_id", "item_id", "correct"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_run.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    chosen: Mapped[int | None]
    correct: Mapped[bool | None]


class QuizCard(Base):
    """Spaced-repetition state of one question for one person (Leitner boxes)."""

    __tablename__ = "quiz_card"
    __table_args__ = (UniqueConstraint("person_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    box: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime]
    answered: Mapped[int] = mapped_column(default=0)
    correct: Mapped[int] = mapped_column(default=0)


class ReminderDelivery(Base):
    """One reminder given to one person, and whether they pressed 'Đã hiểu'."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (
        UniqueConstraint("person_id", "run_id"),
        Index("ix_reminder_delivery_person_item", "person_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("schedule_run.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]


class ContentReview(Base):
    """A reviewer's decision on one content item: confirmed (ok) or ended from a day."""

    __tablename__ = "content_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), index=True)
    decision: Mapped[str] = mapped_column(String(8))  # "ok" or "end"
    # For "end": the first day the item is no longer served.
    ends_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime]


class Campaign(Base):
    """An emulation campaign: a period, the units taking part, a check-in form, a plan."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64))
    # The weekly form: [{"key", "text", "kind": "yes_no"}]; "yes" is the compliant answer.
    form: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    due_weekday: Mapped[int] = mapped_column(default=4)  # Friday
    due_time: Mapped[str] = mapped_column(String(5), default="17:00")
    nudge_limit: Mapped[int] = mapped_column(default=1)
    privacy_min_group: Mapped[int] = mapped_column(default=3)
    created_at: Mapped[datetime]

    units: Mapped[list[CampaignUnit]] = relationship(cascade="all, delete-orphan")


class CampaignUnit(Base):
    """A unit (with everything below it) taking part in a campaign."""

    __tablename__ = "campaign_unit"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)

    unit: Mapped[Unit] = relationship()


class Registration(Base):
    """A person's commitment to the campaign (đăng ký thi đua / ký cam kết)."""

    __tablename__ = "registration"
    __table_args__ = (UniqueConstraint("campaign_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    registered_at: Mapped[datetime]


class CheckIn(Base):
    """One person's answers for one period; edited in place until the period closes."""

    __tablename__ = "check_in"
    __table_args__ = (
        UniqueConstraint("campaign_id", "person_id", "period_start"),
        # Weekly reports: one period's complete check-ins, read from the index alone.
        Index(
            "ix_check_in_report",
            "campaign_id",
            "period_start",
            "complete",
            "person_id",
            "compliant",
            "late",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    complete: Mapped[bool] = mapped_column(default=False)
    compliant: Mapped[bool | None]
    note: Mapped[str | None] = mapped_column(String(1000))
    late: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ViolationReport(Base):
    """A self-reported violation; seen only by the person and their managers."""

    __tablename__ = "violation_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime]


class Nudge(Base):
    """A reminder to check in; at most one per person per day, N per period."""

    __tablename__ = "nudge"
    __table_args__ = (UniqueConstraint("campaign_id", "person_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    period_start: Mapped[date]
    sent_on: Mapped[date]


class ZaloOaToken(Base):
    """The Zalo OA token pair; the single-use refresh token is stored the moment it arrives."""

    __tablename__ = "zalo_oa_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64), unique=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime]
    refreshed_at: Mapped[datetime]
    # SHA-256 of the configured initial refresh token: a changed setting means a new grant.
    seed_hash: Mapped[str] = mapped_column(String(64))


class BotState(Base):
    """Small facts the running bot learns and the CLI reads (the bot's username, channel states)."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class ChannelUsage(Base):
    """Messages per channel and month as the platform counts them (sent, received, template)."""

    __tablename__ = "channel_usage"

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-12", local time
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class PendingChoice(Base):
    """The numbered options last offered in a chat without buttons; a typed number picks one."""

    __tablename__ = "pending_choice"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(128))
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    offered_at: Mapped[datetime]


class Heartbeat(Base):
    """The last sign of life of a role such as the scheduler of `atgt run` (one row per role).

    Commands that queue messages read it to warn when no running bot would send them.
    """

    __tablename__ = "heartbeat"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))  # host:pid, for operators
    seen_at: Mapped[datetime]


class BroadcastStatus(enum.StrEnum):
    """Where an announcement is in its life."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class Broadcast(Base):
    """An announcement to everyone, to units (with sub-units) and/or to roles."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    # An optional image or document, as the outbox stores attachments (base64 JSON).
    attachment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    unit_ids: Mapped[list[int]] = mapped_column(JSON)  # empty: everyone (within the author's scope)
    roles: Mapped[list[str]] = mapped_column(JSON)  # empty: every role
    status: Mapped[BroadcastStatus] = mapped_column(
        _enum(BroadcastStatus, "broadcast_status"), default=BroadcastStatus.DRAFT
    )
    scheduled_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    # Where the live progress message goes (the author's chat), and its outbox row.
    progress_channel: Mapped[str | None] = mapped_column(String(32))
    progress_chat_id: Mapped[str | None] = mapped_column(String(128))
    progress_outbox_id: Mapped[int | None]


class BroadcastRecipient(Base):
    """One person's copy of an announcement: delivered through one outbox row, read or not."""

    __tablename__ = "broadcast_recipient"
    __table_args__ = (UniqueConstraint("broadcast_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcast.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox.id", ondelete="SET NULL"), index=True
    )
    reachable: Mapped[bool] = mapped_column(default=True)
    read_at: Mapped[datetime | None]


class WebSession(Base):
    """One signed-in browser (a device) of a web channel account; only the token's hash is kept."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("channel_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]

    account: Mapped[ChannelAccount] = relationship()


class WebPushKey(Base):
    """The server's VAPID key pair for Web Push (`atgt web keys`); one row."""

    __tablename__ = "web_push_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class WebPushSubscription(Base):
    """A browser's push subscription, bound to its signed-in session (gone with it)."""

    __tablename__ = "web_push_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("web_session.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("channel_account.id", ondelete="CASCADE"), index=True
    )
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class InviteAttempt(Base):
    """A wrong or used code typed by someone not yet linked: the basis of rate limiting."""

    __tablename__ = "invite_attempt"
    __table_args__ = (Index("ix_invite_attempt_sender", "channel", "platform_user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    platform_user_id: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime]
