"""A person's data: the export a customer downloads (export.py), the erasure of an
account or of a guest's orders (erasure.py) and the scheduled purge of data older than
its retention (retention.py, `manage.py purge_personal_data`). Whose data it is, is a
`townmarket.extensions.DataSubject` (subjects.py); plugins add their part through the
PERSONAL_DATA, ERASE_PERSONAL_DATA and PURGE_PERSONAL_DATA hooks."""
