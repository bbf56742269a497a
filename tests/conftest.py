"""Shared pytest configuration."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from tests.escalation_fixtures import WebhookReceiver
from tests.fake_connector import FakeConnector

pytest_plugins = ["tests.redis_server"]


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    """A fake Bot Connector service on loopback that records every reply and proactive message."""
    fake = await FakeConnector().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def webhook() -> AsyncIterator[WebhookReceiver]:
    """A MASH webhook receiver on loopback that records every hand-off packet it is sent."""
    receiver = await WebhookReceiver().start()
    yield receiver
    await receiver.stop()
