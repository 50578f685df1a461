# flake8: noqa

# import apis into api package
from event_sdk.api.admin_api import AdminApi
from event_sdk.api.audit_api import AuditApi
from event_sdk.api.auth_api import AuthApi
from event_sdk.api.bookings_api import BookingsApi
from event_sdk.api.box_office_api import BoxOfficeApi
from event_sdk.api.events_api import EventsApi
from event_sdk.api.holds_api import HoldsApi
from event_sdk.api.invoices_api import InvoicesApi
from event_sdk.api.messages_api import MessagesApi
from event_sdk.api.operations_api import OperationsApi
from event_sdk.api.organizers_api import OrganizersApi
from event_sdk.api.payments_api import PaymentsApi
from event_sdk.api.proofs_api import ProofsApi
from event_sdk.api.tickets_api import TicketsApi
from event_sdk.api.users_api import UsersApi
from event_sdk.api.vouchers_api import VouchersApi
from event_sdk.api.webhooks_api import WebhooksApi

