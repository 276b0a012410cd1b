-- A copy of the database must not drive the shop's printer and Kaspi terminal.
UPDATE pos_config SET clever_proxy_key = NULL;
DELETE FROM clever_pos_device_key;
-- Nor issue fiscal receipts on the shop's real cash register: no Webkassa credentials, test stand.
UPDATE clever_fiscal_register
   SET login = NULL,
       password = NULL,
       api_key = NULL,
       environment = 'test';
