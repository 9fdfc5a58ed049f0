from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "carebridge.fhir"
    label = "fhir"
    verbose_name = "FHIR API"

    def ready(self) -> None:
        # Account activity names the app behind each API read ("Read by Health Diary").
        from carebridge.audit.naming import register_object_namer
        from carebridge.fhir.selectors import connection_app_names
        from carebridge.fhir.services import API_READ

        register_object_namer(API_READ, connection_app_names)
