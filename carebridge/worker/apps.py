from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "carebridge.worker"
    label = "worker"
    verbose_name = "Task workers"
