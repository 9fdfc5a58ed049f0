"""US Core 6.1 conformance tooling for the tests: the package's expectations and a profile checker.

`package` reads the IG's NPM tarball (profiles, search parameters, the server
CapabilityStatement); `checker` checks a resource against a profile; `profiles` picks the profile
a stored resource claims or should meet.
"""
