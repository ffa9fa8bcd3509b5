"""The Support Center catalog: services with their categories, and the five severity levels.

Staff edit it afterwards in /staff/; this migration only seeds it.
"""

from django.db import migrations

SEVERITIES = [
    # code, name, first response in minutes, rank, description
    ("low", "General guidance", 24 * 60, 1, "You have a general development question, or you want to request a feature."),
    ("normal", "System impaired", 12 * 60, 2, "Non-critical functions of your application are behaving abnormally, or you have a time-sensitive development question."),
    ("high", "Production system impaired", 4 * 60, 3, "Important functions of your application are impaired or degraded."),
    ("urgent", "Production system down", 60, 4, "Your business is significantly impacted. Important functions of your application aren't available."),
    ("critical", "Business-critical system down", 15, 5, "Your business is at risk. Critical functions of your application aren't available."),
]

GENERAL_HELP = (
    "If you are receiving an error, provide the detailed error message and a description of any changes "
    "that you made. Include the date, time, and time zone that you first observed the issue."
)
I, R = "instance-ids", "resource-ids"

# case type, service code, service name, troubleshooting link, [(category code, name, extra field)]
SERVICES = [
    ("technical", "general-info", "General Info and Getting Started", "https://docs.aws.amazon.com/", [
        ("using-aws", "Using AWS & Services", ""), ("account-structure", "Account structure", ""),
        ("feature-request", "Feature request", "")]),
    ("technical", "amazon-elastic-compute-cloud-linux", "Elastic Compute Cloud (EC2 - Linux)",
     "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-troubleshoot.html", [
        ("instance-issue", "Instance Issue", I), ("ebs-issue", "EBS Volume Issue", R),
        ("networking-issue", "Networking Issue", I), ("ami-issue", "AMI Issue", R),
        ("performance-issue", "Performance Issue", I)]),
    ("technical", "amazon-elastic-compute-cloud-windows", "Elastic Compute Cloud (EC2 - Windows)",
     "https://docs.aws.amazon.com/AWSEC2/latest/WindowsGuide/troubleshooting-windows-instances.html", [
        ("instance-issue", "Instance Issue", I), ("ebs-issue", "EBS Volume Issue", R),
        ("rdp-issue", "Remote Desktop Issue", I)]),
    ("technical", "amazon-simple-storage-service", "Simple Storage Service (S3)",
     "https://docs.aws.amazon.com/AmazonS3/latest/dev/HandlingErrors.html", [
        ("access-issue", "Access Denied Issue", R), ("performance-issue", "Performance Issue", R),
        ("replication", "Replication", R), ("general-guidance", "General Guidance", "")]),
    ("technical", "amazon-relational-database-service", "Relational Database Service (RDS)",
     "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Troubleshooting.html", [
        ("connectivity", "Connectivity", R), ("performance", "Performance", R),
        ("backup-and-restore", "Backup and Restore", R), ("upgrade", "Engine Upgrade", R)]),
    ("technical", "amazon-dynamodb", "DynamoDB",
     "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html", [
        ("throttling", "Throttling", R), ("backup-restore", "Backup and Restore", R),
        ("global-tables", "Global Tables", R)]),
    ("technical", "aws-lambda", "Lambda", "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-functions.html", [
        ("invocation-errors", "Invocation Errors", R), ("performance", "Performance", R),
        ("deployment", "Deployment", R)]),
    ("technical", "amazon-virtual-private-cloud", "Virtual Private Cloud (VPC)",
     "https://docs.aws.amazon.com/vpc/latest/adminguide/Troubleshooting.html", [
        ("connectivity", "Connectivity", R), ("vpn", "Site-to-Site VPN", R), ("peering", "VPC Peering", R)]),
    ("technical", "amazon-cloudfront", "CloudFront",
     "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Troubleshooting.html", [
        ("distribution-issue", "Distribution Issue", R), ("caching", "Caching", R),
        ("ssl-certificates", "SSL Certificates", R)]),
    ("technical", "amazon-route53", "Route 53", "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/troubleshooting-route-53.html", [
        ("dns-resolution", "DNS Resolution", R), ("domain-registration", "Domain Registration", ""),
        ("health-checks", "Health Checks", R)]),
    ("technical", "elastic-load-balancing", "Elastic Load Balancing (ELB)",
     "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html", [
        ("health-checks", "Health Checks", R), ("latency", "Latency", R), ("configuration", "Configuration", R)]),
    ("technical", "amazon-ec2-auto-scaling", "EC2 Auto Scaling",
     "https://docs.aws.amazon.com/autoscaling/latest/userguide/CHAP_Troubleshooting.html", [
        ("scaling-activity", "Scaling Activity", R), ("launch-templates", "Launch Templates", R),
        ("lifecycle-hooks", "Lifecycle Hooks", R)]),
    ("technical", "aws-cloudformation", "CloudFormation",
     "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html", [
        ("stack-creation", "Stack Creation Failure", R), ("stack-update", "Stack Update Failure", R),
        ("drift", "Drift Detection", R)]),
    ("technical", "amazon-cloudwatch", "CloudWatch", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/", [
        ("metrics", "Metrics", ""), ("alarms", "Alarms", R), ("logs", "Logs", R)]),
    ("technical", "aws-identity-and-access-management", "Identity and Access Management (IAM)",
     "https://docs.aws.amazon.com/IAM/latest/UserGuide/iam-troubleshooting.html", [
        ("access-denied", "Access Denied", R), ("policies", "Policies", R), ("mfa", "Multi-factor Authentication", "")]),
    ("technical", "amazon-elastic-container-service", "Elastic Container Service (ECS)",
     "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshooting.html", [
        ("task-failures", "Task Failures", R), ("service-deployment", "Service Deployment", R),
        ("fargate", "Fargate", R)]),
    ("technical", "amazon-elastic-kubernetes-service", "Elastic Kubernetes Service (EKS)",
     "https://docs.aws.amazon.com/eks/latest/userguide/troubleshooting.html", [
        ("cluster-issue", "Cluster Issue", R), ("node-groups", "Node Groups", I), ("add-ons", "Add-ons", R)]),
    ("technical", "amazon-elasticache", "ElastiCache",
     "https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/Troubleshooting.html", [
        ("connectivity", "Connectivity", R), ("performance", "Performance", R), ("failover", "Failover", R)]),
    ("technical", "amazon-redshift", "Redshift", "https://docs.aws.amazon.com/redshift/latest/dg/queries-troubleshooting.html", [
        ("query-performance", "Query Performance", R), ("data-loading", "Data Loading", R),
        ("connectivity", "Connectivity", R)]),
    ("technical", "amazon-kinesis", "Kinesis", "https://docs.aws.amazon.com/kinesis/latest/dev/troubleshooting-consumers.html", [
        ("producers", "Producers", R), ("consumers", "Consumers", R), ("throughput", "Throughput", R)]),
    ("technical", "amazon-simple-queue-service", "Simple Queue Service (SQS)", "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/", [
        ("message-delivery", "Message Delivery", R), ("dead-letter-queues", "Dead-letter Queues", R),
        ("permissions", "Permissions", R)]),
    ("technical", "amazon-simple-notification-service", "Simple Notification Service (SNS)", "https://docs.aws.amazon.com/sns/latest/dg/", [
        ("delivery-failures", "Delivery Failures", R), ("sms", "SMS", ""), ("subscriptions", "Subscriptions", R)]),
    ("technical", "amazon-simple-email-service", "Simple Email Service (SES)",
     "https://docs.aws.amazon.com/ses/latest/DeveloperGuide/troubleshooting.html", [
        ("sending", "Sending", ""), ("deliverability", "Deliverability", ""), ("sandbox-removal", "Sandbox Removal", "")]),
    ("technical", "amazon-api-gateway", "API Gateway", "https://docs.aws.amazon.com/apigateway/latest/developerguide/", [
        ("integration-errors", "Integration Errors", R), ("custom-domains", "Custom Domains", R),
        ("throttling", "Throttling", R)]),
    ("technical", "aws-elastic-beanstalk", "Elastic Beanstalk",
     "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/troubleshooting.html", [
        ("deployment", "Deployment", R), ("environment-health", "Environment Health", R),
        ("platform-updates", "Platform Updates", R)]),
    ("technical", "aws-direct-connect", "Direct Connect",
     "https://docs.aws.amazon.com/directconnect/latest/UserGuide/Troubleshooting.html", [
        ("connection-down", "Connection Down", R), ("bgp", "BGP", R), ("provisioning", "Provisioning", R)]),
    ("technical", "amazon-elastic-mapreduce", "EMR", "https://docs.aws.amazon.com/emr/latest/DeveloperGuide/emr-troubleshoot.html", [
        ("cluster-failures", "Cluster Failures", R), ("step-failures", "Step Failures", R),
        ("performance", "Performance", R)]),
    ("technical", "aws-certificate-manager", "Certificate Manager (ACM)",
     "https://docs.aws.amazon.com/acm/latest/userguide/troubleshooting.html", [
        ("validation", "Certificate Validation", R), ("renewal", "Renewal", R), ("import", "Import", R)]),
    ("technical", "amazon-workspaces", "WorkSpaces",
     "https://docs.aws.amazon.com/workspaces/latest/adminguide/admin_troubleshooting.html", [
        ("client-issue", "Client Issue", ""), ("directory", "Directory", R), ("performance", "Performance", R)]),
    ("account-and-billing", "customer-account", "Account", "https://docs.aws.amazon.com/accounts/latest/reference/", [
        ("security", "Security", ""), ("other-account-issues", "Other Account Issues", ""),
        ("reopen-closed-account", "Reopen a closed account", ""), ("sign-in-issues", "Sign-in Issues", "")]),
    ("account-and-billing", "billing", "Billing", "https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/", [
        ("charges", "Charges", ""), ("payments", "Payments", ""), ("invoices", "Invoices and Reports", ""),
        ("refunds", "Refunds", "")]),
    ("service-limit-increase", "service-limit-increase", "Service limit increase",
     "https://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html", [
        ("ec2-instances", "EC2 Instances", ""), ("ebs-volumes", "EBS Volumes", ""),
        ("elastic-ips", "Elastic IPs", ""), ("vpc", "VPC", ""), ("lambda-concurrency", "Lambda Concurrent Executions", ""),
        ("rds-instances", "RDS DB Instances", "")]),
]


def load_catalog(apps, schema_editor):
    Service = apps.get_model("cases", "Service")
    Category = apps.get_model("cases", "Category")
    SeverityLevel = apps.get_model("cases", "SeverityLevel")
    for code, name, minutes, rank, description in SEVERITIES:
        SeverityLevel.objects.update_or_create(
            code=code, defaults={"name": name, "first_response_minutes": minutes, "rank": rank, "description": description}
        )
    for case_type, code, name, link, categories in SERVICES:
        service, _ = Service.objects.update_or_create(code=code, defaults={"name": name, "case_type": case_type})
        for category_code, category_name, extra_field in categories:
            Category.objects.update_or_create(
                service=service,
                code=category_code,
                defaults={
                    "name": category_name,
                    "help_text": GENERAL_HELP,
                    "help_links": [{"title": f"Troubleshooting {name}", "url": link}],
                    "extra_field": extra_field,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load_catalog, migrations.RunPython.noop)]
