"""A patient asks the clinic to call them back for an appointment.

The fields are validated by :class:`popliteal.clinics.BookingRequest` (a Singapore phone
number, a real branch, consent to be contacted). ``assessment_id`` is optional and, when
given, must be the patient's assessment *token*: a patient never names an assessment by its
internal number, so a booking cannot be attached to someone else's assessment.
"""

from __future__ import annotations

from fastapi import APIRouter

from popliteal.api.deps import BookingLimit, StoreDep
from popliteal.api.errors import ERROR_RESPONSES, ApiError
from popliteal.api.routes import API_PREFIX
from popliteal.api.schemas import BookingIn, BookingReceived

router = APIRouter(prefix=f"{API_PREFIX}/bookings", tags=["bookings"],
                   responses=ERROR_RESPONSES)


@router.post("", status_code=201, response_model=BookingReceived)
def request_booking(body: BookingIn, store: StoreDep, _: BookingLimit = None) -> BookingReceived:
    """Store a booking request; the clinic lists it (``popliteal bookings`` or the API)."""
    assessment_id = None
    if body.assessment_id is not None:
        record = store.get_assessment_by_token(body.assessment_id)
        if record is None:
            raise ApiError(422, "validation_error",
                           "No assessment for this token; leave assessment_id out to book "
                           "without one.", field="assessment_id")
        assessment_id = record.id
    times = [str(t) for t in body.preferred_times]
    store.create_booking(name=body.name, phone=body.phone, branch_id=body.branch_id,
                         preferred_times=times, consent_to_contact=body.consent_to_contact,
                         assessment_id=assessment_id, notes=body.notes)
    return BookingReceived(branch_id=body.branch_id, preferred_times=times,
                           linked_to_assessment=assessment_id is not None)
