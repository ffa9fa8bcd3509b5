"""The simulated engineer's starting reply library; staff edit it in /staff/ afterwards."""

from django.db import migrations

SIGNATURE = "\n\nBest regards,\nAmazon Web Services"

# (purpose, case type, service code, category code, body)
TEMPLATES = [
    ("ask", "", "", "",
     "Hello,\n\nThank you for contacting AWS Support about \"{subject}\". To look into this I need a little more "
     "information:\n\n- When did you first notice the problem, and is it still happening?\n"
     "- Which resources (IDs or ARNs) and Region are affected?\n- What changed shortly before it started?\n\n"
     "As soon as you reply, I will continue with your case." + SIGNATURE),
    ("ask", "technical", "amazon-elastic-compute-cloud-linux", "instance-issue",
     "Hello,\n\nThank you for contacting AWS Support. To find out why the instance is failing, please send:\n\n"
     "- The instance ID and its Region\n- The output of Actions > Monitor and troubleshoot > Get system log\n"
     "- Which status check fails: the system status check or the instance status check\n\n"
     "With these I can tell whether the underlying host or the operating system is at fault." + SIGNATURE),
    ("ask", "account-and-billing", "", "",
     "Hello,\n\nThank you for contacting AWS Customer Service about \"{subject}\". So that I can review the "
     "right charges, please tell me the invoice ID or billing period and the charge you are asking about." + SIGNATURE),
    ("ask", "service-limit-increase", "", "",
     "Hello,\n\nThank you for your limit increase request. Please confirm the Region, the new limit value you "
     "need, and a short description of the workload, so that we can size the increase correctly." + SIGNATURE),
    ("answer", "", "", "",
     "Hello,\n\nThank you for your patience. I have reviewed case {display_id} ({service}, {category}).\n\n"
     "Based on what you described, please check the recent configuration changes on the affected resources "
     "and compare them with the last known good state; most {category} cases come down to one of those changes.\n\n"
     "Please try this and let me know whether it solves the problem. If it does, reply to confirm and I will "
     "resolve the case." + SIGNATURE),
    ("answer", "technical", "", "",
     "Hello,\n\nThank you for the details on \"{subject}\". I have looked at the {service} resources in your "
     "account around the time you reported.\n\nThe behaviour matches a configuration change rather than a service "
     "event: there is no ongoing {service} issue in your Region. Please roll back the most recent change, or "
     "apply it again step by step, and watch whether the problem returns.\n\n"
     "Let me know whether this solves it. If it does, reply to confirm and I will resolve the case." + SIGNATURE),
    ("answer", "technical", "amazon-elastic-compute-cloud-linux", "instance-issue",
     "Hello,\n\nThe instance is failing its instance status check, which points to the operating system rather "
     "than the host. The system log shows the new kernel failing to mount the root volume.\n\n"
     "Stop the instance, attach its root volume to a healthy instance, select the previous kernel in the boot "
     "loader configuration, then attach the volume back and start the instance.\n\n"
     "Please confirm once the instance passes both status checks, and I will resolve the case." + SIGNATURE),
    ("answer", "technical", "amazon-simple-storage-service", "access-issue",
     "Hello,\n\nAccess Denied on GetObject after enabling default encryption with a KMS key usually means the "
     "reading role may not use the key: the key policy or the role's policy must allow kms:Decrypt.\n\n"
     "Add kms:Decrypt on the bucket's key for the role and try again. Let me know whether that solves it, "
     "and I will resolve the case." + SIGNATURE),
    ("answer", "technical", "aws-identity-and-access-management", "access-denied",
     "Hello,\n\nAn Access Denied from IAM means no policy allows the action, or one explicitly denies it. "
     "An explicit Deny always wins. Use the policy simulator on the user to find the statement that decides, "
     "then adjust that policy.\n\nPlease confirm whether this solves it, and I will resolve the case." + SIGNATURE),
    ("answer", "account-and-billing", "billing", "",
     "Hello,\n\nI have reviewed the charges you asked about. They come from data transfer out of the Region to "
     "the internet; Cost Explorer, grouped by usage type, shows them day by day.\n\nIf this explains the charges, "
     "reply to confirm and I will resolve the case." + SIGNATURE),
    ("answer", "service-limit-increase", "", "",
     "Hello,\n\nGood news: the limit increase you requested for \"{subject}\" has been approved and applied. "
     "It may take up to 30 minutes to show in the Service Quotas console.\n\n"
     "Please confirm that the new limit works for you, and I will resolve the case." + SIGNATURE),
    ("resolution", "", "", "",
     "Hello,\n\nGlad to hear that this is solved. I am resolving case {display_id} now. If anything comes up "
     "again, reopen it from the Support Center and we will pick it up." + SIGNATURE),
]


def seed(apps, schema_editor):
    ReplyTemplate = apps.get_model("training", "ReplyTemplate")
    Service = apps.get_model("cases", "Service")
    Category = apps.get_model("cases", "Category")
    for purpose, case_type, service_code, category_code, body in TEMPLATES:
        service = Service.objects.filter(code=service_code).first() if service_code else None
        category = Category.objects.filter(service=service, code=category_code).first() if category_code else None
        if (service_code and service is None) or (category_code and category is None):
            continue  # the catalog no longer has it
        ReplyTemplate.objects.get_or_create(
            purpose=purpose, case_type=case_type, service=service, category=category, defaults={"body": body}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_reply_templates"),
        ("cases", "0002_catalog"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
