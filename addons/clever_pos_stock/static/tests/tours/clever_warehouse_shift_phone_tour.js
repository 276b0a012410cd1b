import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("clever_warehouse_shift_phone_tour", {
    steps: () => [
        {
            content: "My warehouse shift: a new shift, in the shop's warehouse",
            trigger: ".o_form_view .o_field_widget[name=warehouse_id] input",
        },
        {
            content: "Open the shift",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Open: the big button closes it",
            trigger: ".o_form_view button[name=action_close]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Closed: who closed it is shown",
            trigger: ".o_form_view .o_field_widget[name=closed_by_id]",
        },
    ],
});
