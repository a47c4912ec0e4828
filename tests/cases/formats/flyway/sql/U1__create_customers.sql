-- The repeatable view depends on customers.
DROP VIEW IF EXISTS customer_countries;
DROP TABLE customers;
