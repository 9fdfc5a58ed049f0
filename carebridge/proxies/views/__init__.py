"""The proxies app's pages: choosing whose account to use, and managing who may help whom."""
