CREATE OR REPLACE VIEW customer_countries AS
    SELECT country, count(*) AS customers
    FROM customers
    GROUP BY country;
