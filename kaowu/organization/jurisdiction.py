"""What a staff member may see. Every staff query goes through `Jurisdiction`; no view filters by hand."""

from dataclasses import dataclass

from django.db.models import Q

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
            # Universities see candidates of the majors they examine; that link arrives with the catalog.
            return Q(pk__in=[])
        return Q(**{f"{prefix}district__code__startswith": self.region.scope_prefix})

    def contains_region(self, region: Region | None) -> bool:
        if region is None:
            return False
        if self.office.kind in (Office.Kind.REGISTRATION_POINT, Office.Kind.UNIVERSITY):
            return False
        return region.code.startswith(self.region.scope_prefix)


def jurisdiction_of(staff: StaffMember) -> Jurisdiction:
    return Jurisdiction(office=staff.office, region=staff.office.region)
