"""Every write of the patients' apps: connections (`connections`) and the API's reads (`reads`)."""
