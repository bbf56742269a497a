"""A profiling preload for bench/load.py: ShareSafe with the SDK's stock per-turn clients.

    BENCH_PRELOAD=bench/stock_connector.py python bench/load.py --targets sharesafe-redis --scenarios 10

Everything else is the same; only bot/channels/teams/connector.py is bypassed, so a new connector factory,
ConnectorClient (requests on a thread pool, a new HTTP session) and UserTokenClient are built for
every turn, as the stock CloudAdapter does. Used for the before/after in docs/performance.md.
"""

import bot.http.app
from bot.channels.teams.connector import CachingBotFrameworkAuthentication


class StockClients(CachingBotFrameworkAuthentication):
    """Passes the SDK's per-turn objects straight through (no caching, no aiohttp sender)."""

    def _factory(self, app_id, make):  # noqa: ANN001, ANN202
        return make()

    async def create_user_token_client(self, claims_identity):  # noqa: ANN001, ANN201
        return await self.inner.create_user_token_client(claims_identity)


bot.http.app.CachingBotFrameworkAuthentication = StockClients
