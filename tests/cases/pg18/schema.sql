-- PostgreSQL 18's schema features: virtual generated columns, temporal
-- keys (WITHOUT OVERLAPS, PERIOD), NOT ENFORCED constraints, and NOT NULL
-- constraints with a name, a validity and NO INHERIT. Only PostgreSQL 18
-- builds it.
CREATE TABLE rooms (
  id integer PRIMARY KEY,
  w integer NOT NULL,
  h integer NOT NULL,
  area integer GENERATED ALWAYS AS (w * h) VIRTUAL,
  perimeter integer GENERATED ALWAYS AS (2 * (w + h)) STORED,
  label text CONSTRAINT rooms_label_required NOT NULL,
  note text,
  floor_no integer NOT NULL NO INHERIT,
  CONSTRAINT rooms_w_positive CHECK (w > 0) NOT ENFORCED
);
-- NOT VALID only sticks when added to an existing table.
ALTER TABLE rooms ADD CONSTRAINT rooms_note_nn NOT NULL note NOT VALID;
ALTER TABLE rooms ADD CONSTRAINT rooms_h_positive CHECK (h > 0) NOT VALID;

CREATE TABLE bookings (
  room int4range,
  during daterange,
  seat int4range,
  guest integer,
  CONSTRAINT bookings_pk PRIMARY KEY (room, during WITHOUT OVERLAPS),
  CONSTRAINT bookings_seat_key UNIQUE (seat, during WITHOUT OVERLAPS),
  CONSTRAINT bookings_guest_fk FOREIGN KEY (guest) REFERENCES rooms (id) NOT ENFORCED
);

CREATE TABLE charges (
  room int4range,
  during daterange,
  amount numeric NOT NULL,
  CONSTRAINT charges_booking_fk FOREIGN KEY (room, PERIOD during)
    REFERENCES bookings (room, PERIOD during)
);
