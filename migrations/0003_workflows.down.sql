-- Reverts 0003_workflows.up.sql
DROP TABLE workflow_executions;
DROP TABLE templates;
DROP TABLE nodes;
DROP TABLE workflows;
