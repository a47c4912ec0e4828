-- Reverts 0006_support.up.sql
DROP TABLE message_feedbacks;
DROP TABLE tags;
