def post_init_hook(env):
    """Every company that exists when the module is installed gets its main Kaspi store; companies
    created later get theirs from res.company.create."""
    env["res.company"].search([])._clever_kaspi_ensure_main_store()
