-- Codes never at rest: a recipient's code is no longer written into an SMS
-- body. The body is stored with a {code} slot and the code sealed beside it
-- (AES-256-GCM under a key derived for this purpose from DAKIYA_SECRET_KEY,
-- bound to the message id); the worker renders the message only as it hands
-- it to the gateway. A backup of this table holds no code.
ALTER TABLE sms ADD COLUMN sealed TEXT;

-- Code messages written before this migration hold their code in clear.
-- Those already sent or failed lose their body; those still queued are
-- failed too (their code must not be sent from, or stay in, this table):
-- the postman or supervisor resends, which makes a new code, sealed.
UPDATE sms SET body = '(removed: held a delivery code in clear)',
    status = CASE WHEN status = 'queued' THEN 'failed' ELSE status END,
    last_error = CASE WHEN status = 'queued' THEN 'code removed by migration 0010; resend the code' ELSE last_error END,
    lease_owner = NULL, lease_until = NULL
WHERE kind = 'otp' AND sealed IS NULL;
