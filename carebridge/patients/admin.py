from django.contrib import admin

from carebridge.patients.models import Patient, PatientIdentifier


class IdentifierInline(admin.TabularInline):
    model = PatientIdentifier
    extra = 0


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["mrn", "family_name", "given_name", "birth_date", "clinic"]
    search_fields = ["mrn", "family_name"]
    inlines = [IdentifierInline]
