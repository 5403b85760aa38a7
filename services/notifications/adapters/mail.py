"""E-mail out: over SMTP (smtplib) in production, as .eml files under VAR_DIR/mail/ in the embedded mode.

Each message carries a Message-ID derived from its delivery, so a resend after a dispatcher crash (sent, but
the 'sent' mark not yet committed) is recognisably the same message; the file outbox overwrites the same file.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from services.notifications.domain.messages import DeliveryFailed, Outgoing


def compose(message: Outgoing, sender: str) -> EmailMessage:
    if not message.address:
        raise DeliveryFailed("the recipient has no e-mail address", permanent=True)
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.address
    mail["Subject"] = message.subject
    domain = sender.rpartition("@")[2] or "sscp.md"
    mail["Message-ID"] = f"<delivery-{message.delivery_id}.{message.event_id}@{domain}>"
    if message.sent_at is not None:
        mail["Date"] = format_datetime(message.sent_at)
    mail["X-SSCP-Event-Type"] = message.event_type
    if message.correlation_id:
        mail["X-SSCP-Correlation-Id"] = message.correlation_id
    mail.set_content(message.body, charset="utf-8")
    # After set_content, which clears every Content-* header.
    mail["Content-Language"] = message.language
    return mail


class SmtpMailer:
    """Sends through an SMTP relay; 5xx answers are permanent failures, everything else may be retried."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        timeout: float = 20.0,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
    ) -> None:
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout
        self.username, self.password, self.starttls = username, password, starttls

    def send(self, message: Outgoing) -> None:
        mail = compose(message, self.sender)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            permanent = all(code >= 500 for code, _ in exc.recipients.values())
            raise DeliveryFailed(f"recipient refused: {exc.recipients}", permanent=permanent) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryFailed(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", permanent=exc.smtp_code >= 500) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"SMTP {self.host}:{self.port} unreachable: {exc}") from exc


class FileMailer:
    """The embedded default: each message becomes VAR_DIR/mail/delivery-<id>.eml, readable by any mail client."""

    def __init__(self, directory: Path, sender: str) -> None:
        self.directory = Path(directory)
        self.sender = sender

    def send(self, message: Outgoing) -> None:
        mail = compose(message, self.sender)
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"delivery-{message.delivery_id}.eml"
        partial = target.with_suffix(".eml.partial")
        partial.write_bytes(bytes(mail))
        # A reader never sees half a message: the file appears whole or not at all.
        os.replace(partial, target)
