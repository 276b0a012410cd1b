"""No password, API key or session token may reach a log record or an error message."""

import logging

import pytest

from fiscal import FiscalConfigError, FiscalRejectedError, MoneyOperation, MoneyOperationKind, TokenCache
from webkassa_testkit import API_KEY, LOGIN, PASSWORD, D, make_client, new_number, sale

WRONG_PASSWORD = "Wrong-Secret-9"


def test_credentials_and_tokens_never_reach_the_logs(sim, tokens, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, requests/urllib3 included, at its most verbose
    sim.token_ttl = 3600
    client = make_client(sim, tokens=tokens)
    errors = []

    client.send_receipt(sale())
    sim.advance(hours=2)
    client.send_receipt(sale())  # code 2: a new login
    sim.add_fault("timeout_after_commit", route="check", delay=1.0)
    client.send_receipt(sale())  # a resend, logged as a warning
    with pytest.raises(FiscalConfigError) as wrong:
        make_client(sim, tokens=TokenCache(), password=WRONG_PASSWORD).send_receipt(sale())
    errors.append(wrong.value)
    with pytest.raises(FiscalRejectedError) as refused:
        client.money_operation(MoneyOperation(new_number(), MoneyOperationKind.WITHDRAWAL, D(10**6)))
    errors.append(refused.value)

    secrets = [PASSWORD, WRONG_PASSWORD, API_KEY, LOGIN, *sim.issued_tokens]
    assert len(sim.issued_tokens) == 2
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    texts = []
    for record in caplog.records:
        texts += [formatter.format(record), repr(record.args), repr(record.__dict__)]
    texts += [str(error) for error in errors] + [repr(error.__dict__) for error in errors]
    text = "\n".join(texts)
    for secret in secrets:
        assert secret not in text
    # The log still tells what happened.
    messages = [record.getMessage() for record in caplog.records]
    assert any("logged in" in message for message in messages)
    assert any("session expired" in message for message in messages)
    assert any("resending the same request" in message for message in messages)
    assert any('"Token": "***"' in message for message in messages)  # the debug dump, redacted
