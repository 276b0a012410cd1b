from odoo import api, models
from odoo.exceptions import ValidationError

from ..tools import kz_validation


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Counterparties are found by phone (phone_validation stores the E.164 form in
    # phone_sanitized); the shop's rule is one partner per phone number.

    def _clever_is_kazakh(self, vals=None):
        """Whether Kazakh rules apply: the partner's country is Kazakhstan, or it has none and
        the current company is Kazakh."""
        country_id = (vals or {}).get("country_id", self.country_id.id if self else False)
        country = self.env["res.country"].browse(country_id) if country_id else self.env.company.country_id
        return country.code == "KZ"

    def _clever_normalize_vals(self, vals):
        """Phones to "+7 7XX XXX XX XX", BIN/IIN without spaces. A Kazakh-looking phone that is
        not a valid number is refused rather than stored as typed."""
        phone = vals.get("phone")
        if phone:
            normalized = kz_validation.normalize_phone(phone)
            if normalized:
                vals["phone"] = normalized
            elif self._clever_is_kazakh(vals) or phone.strip().startswith(("+7", "8 7", "87")):
                raise ValidationError(
                    self.env._(
                        "%(phone)s is not a valid phone number. Type it as 8 7XX XXX XX XX or +7 7XX XXX XX XX.",
                        phone=phone,
                    )
                )
        if vals.get("vat") and self._clever_is_kazakh(vals):
            vals["vat"] = kz_validation.clean_bin_iin(vals["vat"])
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._clever_normalize_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("phone") or vals.get("vat"):
            for partner in self:
                super(ResPartner, partner).write(partner._clever_normalize_vals(dict(vals)))
            return True
        return super().write(vals)

    @api.constrains("phone", "country_id")
    def _check_clever_phone_unique(self):
        # Kazakh counterparties only: partners of other countries keep Odoo's behaviour.
        for partner in self.filtered(lambda p: p.phone_sanitized and p._clever_is_kazakh()):
            other = self.sudo().search(
                [
                    ("phone_sanitized", "=", partner.phone_sanitized),
                    ("id", "!=", partner.id),
                    ("commercial_partner_id", "!=", partner.commercial_partner_id.id),
                ],
                limit=1,
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "The phone number %(phone)s already belongs to %(partner)s. "
                        "Open that counterparty instead of creating a second one.",
                        phone=partner.phone,
                        partner=other.display_name,
                    )
                )

    @api.constrains("vat", "country_id")
    def _check_clever_bin_iin(self):
        for partner in self.filtered("vat"):
            if partner.vat != "/" and partner._clever_is_kazakh() and not kz_validation.is_valid_bin_iin(partner.vat):
                raise ValidationError(
                    self.env._(
                        "%(number)s is not a valid BIN/IIN: it must have 12 digits and a correct check digit.",
                        number=partner.vat,
                    )
                )
