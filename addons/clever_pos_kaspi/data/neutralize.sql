-- A copy of the database never holds the Kaspi cabinet credentials and publishes no feed.
UPDATE clever_kaspi_store
   SET kaspi_email = NULL,
       kaspi_password = NULL,
       api_token = NULL,
       feed_token = NULL,
       feed_enabled = FALSE,
       orders_import_enabled = FALSE;
