"""The clinic administrator's register of the apps patients may connect (/staff/setup/apps/)."""
