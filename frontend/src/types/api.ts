// Shapes of the API's JSON: aliases of the schemas generated from the OpenAPI document
// (`npm run types` writes ./openapi.ts from ../sdk/openapi.json). Money as decimal strings, times ISO 8601.
import type { components, operations } from './openapi';

export type Schemas = components['schemas'];
/** The query parameters an operation takes (by its operation id), as the document declares them. */
export type QueryOf<Operation extends keyof operations> = NonNullable<operations[Operation]['parameters']['query']>;

export type User = Schemas['UserOut'];
export type Role = User['role'];
export type Token = Schemas['TokenOut'];
/** A ticket category as the UI reads it: without `waiting`, the API's deprecated alias of `waitlisted`. */
export type Category = Omit<Schemas['CategoryOut'], 'waiting'>;
export type LedgerEvent = Omit<Schemas['EventOut'], 'categories'> & { categories: Category[] };
export type EventStatus = LedgerEvent['status'];
export type EventChanged = Schemas['EventChanged'];
export type Organizer = Schemas['OrganizerOut'];
/** Who runs an event now, with the organizers invited who have not answered yet (those who run it see this). */
export type EventOrganizers = Schemas['EventOrganizersOut'];
/** An invitation to co-organize an event, awaiting the invited organizer's answer. */
export type Invitation = Schemas['InvitationOut'];
export type Ticket = Schemas['TicketOut'];
export type StoredEvent = Schemas['StoredEventOut'];
export type SignedHead = Schemas['SignedHead'];
export type InclusionProof = Schemas['InclusionProof'];

export type Booking = Schemas['BookingOut'];
/** One category's seats in an order (a booking's, or an active hold's), at the price it was booked or held at. */
export type OrderLine = Schemas['OrderLine'];
/** Who cancelled a booking (the API says it with the reason). */
export type CancelledBy = NonNullable<Booking['cancelled_by']>;

/** Seats out of sale for their buyer until `expires_at`: made at checkout, or offered to a place on a waitlist (`offer`). */
export type Hold = Schemas['HoldOut'];
export type HoldStatus = Hold['status'];
/** One category's seats asked for in a hold across categories (HoldIn's `lines`). */
export type HoldLine = Schemas['HoldLineIn'];
/** A hold's payment: `succeeded` names its booking; `requires_action` is completed by Stripe.js with `client_secret`. */
export type Payment = Schemas['PaymentOut'];
/** How the browser pays: the provider (null: none is set up, paid seats are confirmed as before). */
export type PaymentsConfig = Schemas['PaymentsConfig'];
export type PaymentMethod = Schemas['PaymentMethodOut'];
/** One buyer's place on a sold-out category's waitlist, with its `rank` while it waits (1: next to be offered seats);
 * without `place`, the API's deprecated alias of `rank`. */
export type Place = Omit<Schemas['PlaceOut'], 'place'>;

/** Pages of lists: their items and the cursor of the next page (null: the last one). */
export type EventPage = Schemas['EventPage'];
export type BookingPage = Schemas['BookingPage'];
export type HoldPage = Schemas['HoldPage'];
export type PlacePage = Schemas['PlacePage'];
export type UserPage = Schemas['UserPage'];
export type OrganizerPage = Schemas['OrganizerPage'];
export type InvitationPage = Schemas['InvitationPage'];

/** Seats left as the server-sent events stream them. The document declares the stream as text, so its
 * messages have no schema of their own: their fields are EventOut's and CategoryOut's, taken from there. */
export type LiveAvailability = Pick<LedgerEvent, 'status' | 'total_seats' | 'available_seats'> & {
  event_id: LedgerEvent['id'];
  categories: Omit<Category, 'price'>[];
  position: number;
};

export const ROLES: readonly Role[] = ['customer', 'organizer', 'auditor', 'admin'];
