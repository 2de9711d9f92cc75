"""Refuse UPDATE of copied evidence at the database, whatever code path tries it.

Only the copied content is guarded: ``source_message`` and ``selected_by`` may still be
nulled when the chat message or the user is deleted. PostgreSQL only (the embedded SQLite
mode relies on the model's own refusal)."""

from django.db import migrations

CREATE = """
CREATE FUNCTION reviews_evidence_refuse_update() RETURNS trigger AS $$
BEGIN
    IF NEW.review_id IS DISTINCT FROM OLD.review_id
       OR NEW.conversation_id_copy IS DISTINCT FROM OLD.conversation_id_copy
       OR NEW.buyer_nick IS DISTINCT FROM OLD.buyer_nick
       OR NEW.text IS DISTINCT FROM OLD.text
       OR NEW.sent_at IS DISTINCT FROM OLD.sent_at
       OR NEW.selected_at IS DISTINCT FROM OLD.selected_at THEN
        RAISE EXCEPTION 'evidence messages are immutable';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reviews_evidence_immutable BEFORE UPDATE ON reviews_evidencemessage
    FOR EACH ROW EXECUTE FUNCTION reviews_evidence_refuse_update();
"""

DROP = """
DROP TRIGGER IF EXISTS reviews_evidence_immutable ON reviews_evidencemessage;
DROP FUNCTION IF EXISTS reviews_evidence_refuse_update();
"""


def _run(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
