import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("clever_stock_adjustment_tour", {
    steps: () => [
        {
            content: "A new adjustment: add a line",
            trigger: ".o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=product_id] input",
            run: "edit Tassay",
        },
        {
            trigger: ".ui-menu-item > a:contains('Tassay')",
            run: "click",
        },
        {
            content: "Only 2 on the shelf out of 10",
            trigger: ".o_data_row .o_field_widget[name=counted_qty] input",
            run: "edit 2",
        },
        {
            trigger: ".o_data_row .o_field_widget[name=reason_id] input",
            run: "edit shortage_count",
        },
        {
            content: "Reasons are found by their code too, whatever the language",
            // Filtered: the one reason, then "Search more" (two items instead of seven).
            trigger: ".o-autocomplete--dropdown-menu:not(:has(li:nth-child(3))) li:first-child > a:not(.o_loading)",
            run: "click",
        },
        {
            content: "Leave the line",
            trigger: ".o_form_view .oe_title",
            run: "click",
        },
        {
            content: "8 units: over the limit, a manager must approve",
            trigger: ".o_form_view .alert-warning",
        },
        {
            trigger: ".o_form_view button[name=action_request_approval]",
            run: "click",
        },
        {
            content: "The store keeper waits for the manager's decision",
            trigger: ".o_clever_approval_wait",
        },
    ],
});
