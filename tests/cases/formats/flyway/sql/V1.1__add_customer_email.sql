ALTER TABLE customers ADD COLUMN email text;
ALTER TABLE customers ADD CONSTRAINT customers_email_check CHECK (email LIKE '%@%');
