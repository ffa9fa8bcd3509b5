"""The staff site's least-privilege roles, as Django groups.

Support engineers work the case queue: they read and answer cases, open the files sent on them and
reopen closed accounts on request. Nothing else on the staff site is theirs, so they see no catalog,
reply library, training profile or account password. Editing the support catalog and the simulated
engineer's reply library is a separate role, "Support catalog editors"; running training cohorts is
another, "Instructors"; superusers keep everything.

Both the data migration and the tests call ensure_staff_groups, so the groups are built one way.
"""

from django.apps import apps as global_apps

SUPPORT_ENGINEERS = "Support engineers"
CATALOG_EDITORS = "Support catalog editors"
INSTRUCTORS = "Instructors"

# Group name -> "app_label.codename" permissions.
STAFF_GROUPS: dict[str, tuple[str, ...]] = {
    SUPPORT_ENGINEERS: (
        "cases.view_case",
        "cases.change_case",
        "cases.view_communication",
        "cases.change_communication",
        "cases.view_attachment",
        "accounts.view_account",
        "accounts.change_account",
    ),
    CATALOG_EDITORS: (
        "cases.view_service",
        "cases.add_service",
        "cases.change_service",
        "cases.view_category",
        "cases.add_category",
        "cases.change_category",
        "cases.delete_category",
        "cases.view_severitylevel",
        "cases.change_severitylevel",
        "training.view_replytemplate",
        "training.add_replytemplate",
        "training.change_replytemplate",
        "training.delete_replytemplate",
    ),
    INSTRUCTORS: (
        "training.view_cohort",
        "training.add_cohort",
        "training.change_cohort",
    ),
}


def ensure_staff_groups(apps=global_apps, schema_editor=None) -> None:
    """Create the groups and set exactly their permissions; running it again changes nothing."""
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_labels = {name.split(".")[0] for names in STAFF_GROUPS.values() for name in names}
    # In a fresh database the permissions appear only after the last migration (post_migrate): make them now.
    for label in app_labels:
        app_config = apps.get_app_config(label)
        app_config.models_module = getattr(app_config, "models_module", None) or True
        create_permissions(app_config, verbosity=0, apps=apps)
    for group_name, names in STAFF_GROUPS.items():
        wanted = {tuple(name.split(".")) for name in names}
        permissions = [
            permission
            for permission in Permission.objects.filter(content_type__app_label__in=app_labels).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        if len(permissions) != len(wanted):
            raise LookupError(f"{group_name}: missing permissions {wanted - {(p.content_type.app_label, p.codename) for p in permissions}}")
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(permissions)


def remove_staff_groups(apps=global_apps, schema_editor=None) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=STAFF_GROUPS).delete()
