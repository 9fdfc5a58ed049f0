"""The clinic administrator's set-up pages: the clinic's profile, logo and colours, places,
clinicians and patient access settings, listed on one hub page (`links`)."""
