-- Reverts 0002_ai_llm.up.sql
DROP TABLE billing_events;
DROP TABLE usage_logs;
DROP TABLE messages;
DROP TABLE conversations;
DROP TABLE agents;
DROP TABLE llms;
