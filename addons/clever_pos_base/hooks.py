def post_init_hook(env):
    """Companies that already run the Kazakh chart of accounts get the 16 % VAT taxes as their
    defaults and a POS receivable account (new companies get both from the chart template itself). The chart is reloaded once
    the registry is ready, through the same deferred call account uses when it installs a chart."""
    registry = env.registry
    previous = getattr(registry, "_auto_install_template", None)

    def load_vat_16(env):
        if previous:
            previous(env)
        _add_vat_16(env)

    registry._auto_install_template = load_vat_16


def _add_vat_16(env):
    ChartTemplate = env["account.chart.template"]
    for company in env["res.company"].search([("chart_template", "=", "kz")]):
        ChartTemplate.try_loading("kz", company, force_create=True)
        company_chart = ChartTemplate.with_company(company)
        sale_tax = company_chart.ref("l10n_kz_tax_vat_16_sale", raise_if_not_found=False)
        purchase_tax = company_chart.ref("l10n_kz_tax_vat_16_purchase", raise_if_not_found=False)
        if sale_tax and purchase_tax:
            company.write({"account_sale_tax_id": sale_tax.id, "account_purchase_tax_id": purchase_tax.id})
        pos_receivable = company_chart.ref("kz1211", raise_if_not_found=False)
        if pos_receivable and not company.account_default_pos_receivable_account_id:
            company.account_default_pos_receivable_account_id = pos_receivable


def pre_init_hook(env):
    """A Kazakh language created earlier by Odoo itself (e.g. --load-language=kk_KZ, with en_US
    formats) is taken over by this module's record instead of clashing with it."""
    lang = env["res.lang"].with_context(active_test=False).search([("code", "=", "kk_KZ")], limit=1)
    if lang and not env["ir.model.data"].search([("model", "=", "res.lang"), ("res_id", "=", lang.id)], limit=1):
        env["ir.model.data"].create(
            {"module": "clever_pos_base", "name": "lang_kk_KZ", "model": "res.lang", "res_id": lang.id}
        )
