"""The pre-screen's receipt: its private result link, mailed once, in its language."""

from sqlalchemy import select

from app.extensions import db
from app.intake.notifications import notify_received
from app.intake.services import get_intake
from app.notify.models import OutboxMessage
from app.notify.relay import relay_outbox
from tests.smtp import mail_config, smtp_server


def receipts(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "received")))


def submit(client, payload) -> str:
    response = client.post("/api/v1/intakes", json=payload)
    assert response.status_code == 201
    return response.get_json()["intake"]["token"]


def test_a_pre_screen_mails_its_result_link_once(make_app, intake_payload):
    app = make_app(MAIL_PRESCREEN_RECEIPT=True)
    client = app.test_client()
    token = submit(client, {**intake_payload, "email": "jane@example.com"})
    [row] = receipts(app)
    assert row.recipient == "jane@example.com"
    with app.app_context():  # writing it again (a retried job, a second call) adds nothing
        notify_received(get_intake(token), token)
        db.session.commit()
    assert len(receipts(app)) == 1
    page = client.get(f"/intake/{token}").get_data(as_text=True)
    assert '링크를 <span translate="no">j***@example.com</span> 로도 보냈습니다.' in page

    with smtp_server() as (server, port), app.app_context():
        app.config.update(mail_config(port))
        assert relay_outbox() == {"sent": 1}
    [received] = server.received
    message = received.message
    assert "사전문진 접수" in message["Subject"] and received.rcpt_tos == ["jane@example.com"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"/intake/{token}" in text and f"/intake/{token}" in html
    assert "jane@example.com" not in text  # the address is the envelope's, not the words'


def test_the_receipt_speaks_the_pre_screens_language(make_app, intake_payload):
    app = make_app(MAIL_PRESCREEN_RECEIPT=True)
    client = app.test_client()
    token = submit(client, {**intake_payload, "language": "en"})
    with smtp_server() as (server, port), app.app_context():
        app.config.update(mail_config(port))
        relay_outbox()
    [received] = server.received
    message = received.message
    assert message["Subject"].startswith("[Onestop] Your pre-screen is received")
    text = message.get_body(("plain",)).get_content()
    assert "We have received the pre-screen of" in text and f"/intake/{token}" in text


def test_a_centre_may_turn_the_receipt_off(app, client, intake_payload):
    submit(client, intake_payload)
    assert receipts(app) == []
