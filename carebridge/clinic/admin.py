from django.contrib import admin

from carebridge.clinic.models import Clinic, Location, Practitioner, StaffMember

admin.site.register(Clinic)
admin.site.register(Location)
admin.site.register(Practitioner)
admin.site.register(StaffMember)
