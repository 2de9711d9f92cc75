from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "商品目录与图片库"

    def ready(self):
        # orders (a lower layer) announces committed imports; the catalogue follows them.
        from orders.signals import import_committed

        from .receivers import refresh_after_import

        import_committed.connect(
            refresh_after_import, dispatch_uid="catalogue.refresh_after_import"
        )
