-- Staff may be sorters: bound to a centre like postmen and supervisors.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('postman', 'supervisor', 'sorter', 'admin'));
