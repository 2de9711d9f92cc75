"""DRF glue for the permission module, and the caller's own account and shops."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from .permissions import can, roles_by_shop
from .selectors import shops_for


class ShopAction(permissions.BasePermission):
    """Grants a view's ``shop_action`` in at least one shop, and on each object only in
    that object's shop. Views still fetch objects through ``restrict()``-ed selectors, so a
    foreign object is a 404 before this is asked."""

    def has_permission(self, request, view):
        return can(request.user, view.shop_action)

    def has_object_permission(self, request, view, obj):
        return can(request.user, view.shop_action, obj)


class ShopSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    platform = serializers.CharField()
    role = serializers.SerializerMethodField()

    def get_role(self, shop) -> str:
        return roles_by_shop(self.context["request"].user)[shop.pk]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    work_number = serializers.CharField()


@extend_schema(summary="The shops the caller works in, with their role in each")
class ShopListAPI(ListAPIView):
    serializer_class = ShopSerializer
    pagination_class = None
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return shops_for(self.request.user)


@extend_schema(summary="The caller's own account")
class MeAPI(RetrieveAPIView):
    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user
