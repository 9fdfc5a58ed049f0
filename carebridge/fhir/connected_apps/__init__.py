"""The patient's "Connected apps" page (`/account/apps/`): which apps may read the record, and
disconnecting one."""
