"""What a staff member may see. Every staff query goes through `Jurisdiction`; no view filters by hand."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Office, Region, StaffMember


@dataclass(frozen=True)
class Jurisdiction:
    office: Office
    region: Region

    @property
    def label(self) -> str:
        return f"{self.office.name}（{self.region.full_name}）"

    def candidate_q(self, prefix: str = "") -> Q:
        """Q selecting candidates inside this jurisdiction. `prefix` is the path from the queried
        model to the Candidate (e.g. "candidate__")."""
        kind = self.office.kind
        if kind == Office.Kind.REGISTRATION_POINT:
            return Q(**{f"{prefix}registration_point": self.office})
        if kind == Office.Kind.UNIVERSITY:
            # A 主考学校 sees the candidates who registered (报考) for a major it examines. The
            # registration app sits above this one, hence the model looked up by name.
            from django.apps import apps

            registrations = apps.get_model("registration", "Registration").objects.filter(
                major__university=self.office).exclude(status="cancelled")
            return Q(**{f"{prefix}pk__in": registrations.values("exam_number__candidate_id")})
        return Q(**{f"{prefix}district__code__startswith": self.region.scope_prefix})

    @property
    def is_province_wide(self) -> bool:
        return self.office.kind == Office.Kind.PROVINCE_AUTHORITY

    def audit_q(self, prefix: str = "") -> Q:
        """Q selecting audit events this jurisdiction may read: everything for the province authority;
        events filed under its regions (and its own office's) for city, district and exam-area offices;
        only its own office's events for registration points and universities."""
        own_office = Q(**{f"{prefix}actor_office": self.office})
        if self.is_province_wide:
            return Q()
        if self.office.kind in (Office.Kind.REGISTRATION_POINT, Office.Kind.UNIVERSITY):
            return own_office
        return Q(**{f"{prefix}jurisdiction_code__startswith": self.region.scope_prefix}) | own_office

    def filter_regions(self) -> QuerySet[Region]:
        """Cities and districts a staff member may narrow a candidate list to (the regions inside the
        jurisdiction; for a registration point, those of its province)."""
        kind = self.office.kind
        if kind == Office.Kind.UNIVERSITY:
            return Region.objects.none()
        prefix = self.region.code[:2] if kind == Office.Kind.REGISTRATION_POINT else self.region.scope_prefix
        return (
            Region.objects.filter(code__startswith=prefix, level__in=[Region.Level.CITY, Region.Level.DISTRICT])
            .select_related("parent")
            .order_by("code")
        )

    def contains_region(self, region: Region | None) -> bool:
        if region is None:
            return False
        if self.office.kind in (Office.Kind.REGISTRATION_POINT, Office.Kind.UNIVERSITY):
            return False
        return region.code.startswith(self.region.scope_prefix)


def jurisdiction_of(staff: StaffMember) -> Jurisdiction:
    return Jurisdiction(office=staff.office, region=staff.office.region)
