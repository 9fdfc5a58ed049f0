"""The clinic administrator's booking set-up pages: visit types, weekly hours, time off."""
