"""Countries the contact form offers, with the time zone whose business hours apply.

Business hours (Developer plan response targets) follow the account's contact
country; an India contact address makes the account an AISPL account.
"""

from zoneinfo import ZoneInfo

# ISO 3166-1 alpha-2 -> (name, IANA zone for business hours)
COUNTRIES: dict[str, tuple[str, str]] = {
    "AR": ("Argentina", "America/Argentina/Buenos_Aires"),
    "AU": ("Australia", "Australia/Sydney"),
    "AT": ("Austria", "Europe/Vienna"),
    "BE": ("Belgium", "Europe/Brussels"),
    "BR": ("Brazil", "America/Sao_Paulo"),
    "CA": ("Canada", "America/Toronto"),
    "CL": ("Chile", "America/Santiago"),
    "CN": ("China", "Asia/Shanghai"),
    "CO": ("Colombia", "America/Bogota"),
    "CZ": ("Czechia", "Europe/Prague"),
    "DK": ("Denmark", "Europe/Copenhagen"),
    "EG": ("Egypt", "Africa/Cairo"),
    "FI": ("Finland", "Europe/Helsinki"),
    "FR": ("France", "Europe/Paris"),
    "DE": ("Germany", "Europe/Berlin"),
    "GR": ("Greece", "Europe/Athens"),
    "HK": ("Hong Kong", "Asia/Hong_Kong"),
    "IN": ("India", "Asia/Kolkata"),
    "ID": ("Indonesia", "Asia/Jakarta"),
    "IE": ("Ireland", "Europe/Dublin"),
    "IL": ("Israel", "Asia/Jerusalem"),
    "IT": ("Italy", "Europe/Rome"),
    "JP": ("Japan", "Asia/Tokyo"),
    "KE": ("Kenya", "Africa/Nairobi"),
    "KR": ("Korea, Republic of", "Asia/Seoul"),
    "MX": ("Mexico", "America/Mexico_City"),
    "NL": ("Netherlands", "Europe/Amsterdam"),
    "NZ": ("New Zealand", "Pacific/Auckland"),
    "NG": ("Nigeria", "Africa/Lagos"),
    "NO": ("Norway", "Europe/Oslo"),
    "PH": ("Philippines", "Asia/Manila"),
    "PL": ("Poland", "Europe/Warsaw"),
    "PT": ("Portugal", "Europe/Lisbon"),
    "SA": ("Saudi Arabia", "Asia/Riyadh"),
    "SG": ("Singapore", "Asia/Singapore"),
    "ZA": ("South Africa", "Africa/Johannesburg"),
    "ES": ("Spain", "Europe/Madrid"),
    "SE": ("Sweden", "Europe/Stockholm"),
    "CH": ("Switzerland", "Europe/Zurich"),
    "TW": ("Taiwan", "Asia/Taipei"),
    "TH": ("Thailand", "Asia/Bangkok"),
    "TR": ("Türkiye", "Europe/Istanbul"),
    "AE": ("United Arab Emirates", "Asia/Dubai"),
    "GB": ("United Kingdom", "Europe/London"),
    "US": ("United States", "America/New_York"),
    "VN": ("Viet Nam", "Asia/Ho_Chi_Minh"),
}
COUNTRY_CHOICES = sorted(((code, name) for code, (name, _) in COUNTRIES.items()), key=lambda item: item[1])
AISPL_COUNTRY = "IN"
DEFAULT_BUSINESS_ZONE = "America/New_York"


def business_timezone(country_code: str | None) -> ZoneInfo:
    """The zone whose 08:00–18:00 weekdays count as business hours for this country."""
    _, zone = COUNTRIES.get((country_code or "").upper(), ("", DEFAULT_BUSINESS_ZONE))
    return ZoneInfo(zone)


def is_aispl(country_code: str | None) -> bool:
    return (country_code or "").upper() == AISPL_COUNTRY


AISPL_SELLER = "Amazon Internet Services Private Limited (AISPL)"
AWS_SELLER = "Amazon Web Services"


def seller(country_code: str | None) -> str:
    """Who the account's agreement is with: "If you sign up for a new AWS account and choose India
    for your contact address, your user agreement is with Amazon Internet Services Private Limited"."""
    return AISPL_SELLER if is_aispl(country_code) else AWS_SELLER
