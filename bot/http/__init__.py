"""The HTTP edge: the aiohttp application, its security checks, rate limit and metrics."""
