-- Reverts 0005_analytics.up.sql
DROP TABLE system_alerts;
DROP TABLE analytics_events;
