// Shapes of the API's JSON (see /openapi.json): money as decimal strings, times ISO 8601.
export type Role = 'customer' | 'organizer' | 'admin' | 'auditor';
export type EventStatus = 'active' | 'cancelled' | 'completed';

export interface User { id: string; email: string; name: string; phone: string | null; role: Role }
export interface Token { access_token: string; token_type: 'bearer'; expires_in: number }
export interface Category { name: string; price: string; capacity: number; sold: number; available: number }
export interface LedgerEvent {
  id: string; name: string; description: string; venue: string;
  starts_at: string; ends_at: string | null; currency: string; status: EventStatus;
  categories: Category[]; total_seats: number; available_seats: number;
  max_tickets_per_user: number | null; created_at: string;
  /** null: recorded before organizers, run by admins alone */
  organizer_id: string | null; organizer_name: string | null; co_organizers: Organizer[];
}
export interface Organizer { id: string; name: string }
/** Who runs an event now, with the organizers invited who have not answered yet (those who run it see this). */
export interface EventOrganizers {
  organizer_id: string | null; organizer_name: string | null;
  co_organizers: Organizer[]; invited_co_organizers: Organizer[];
}
/** An invitation to co-organize an event, awaiting the invited organizer's answer. */
export interface Invitation {
  event_id: string; event_name: string; starts_at: string; organizer_id: string | null;
  organizer_name: string | null; invited_by: string; invited_at: string;
}
export interface EventChanged extends LedgerEvent { position: number | null }
export interface Page<T> { items: T[]; next_cursor: string | null; position?: number }
export interface Ticket { code: string; status: 'active' | 'used' | 'cancelled' }
export interface Booking {
  id: string; event_id: string; user_id: string; user_name: string; category: string;
  quantity: number; unit_price: string; total_amount: string; status: 'confirmed' | 'cancelled';
  tickets: Ticket[]; created_at: string; position: number | null;
}
export interface LiveAvailability {
  event_id: string; status: EventStatus; total_seats: number; available_seats: number;
  categories: { name: string; capacity: number; sold: number; available: number }[]; position: number;
}
