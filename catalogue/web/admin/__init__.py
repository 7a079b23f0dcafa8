"""The admin area's controllers, gathered for the app factory."""

from __future__ import annotations

from typing import Any

from catalogue.web.admin.device_list import AdminDeviceListController
from catalogue.web.admin.devices import AdminDevicesController
from catalogue.web.admin.images import AdminImagesController
from catalogue.web.admin.imports import AdminExportController, AdminImportController
from catalogue.web.admin.preview import AdminPreviewController
from catalogue.web.admin.users import AdminUsersController


def admin_handlers() -> list[Any]:
    return [
        AdminDeviceListController,
        AdminDevicesController,
        AdminPreviewController,
        AdminUsersController,
        AdminImportController,
        AdminExportController,
        AdminImagesController,
    ]
