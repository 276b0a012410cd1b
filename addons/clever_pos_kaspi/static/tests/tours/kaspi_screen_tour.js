import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("clever_kaspi_screen_tour", {
    steps: () => [
        {
            content: "The store picker shows the shop's main store",
            trigger: ".o_clever_kaspi_store_picker:has(option:contains('Тест Kaspi'))",
        },
        {
            content: "Sync the store",
            trigger: ".o_clever_kaspi_sync:enabled",
            run: "click",
        },
        {
            content: "The sync says what it did",
            trigger: ".o_notification .o_notification_content",
        },
        {
            content: "Open the trash from its button",
            trigger: ".o_clever_kaspi_trash",
            run: "click",
        },
        {
            content: "The new product waits in the trash, not published",
            trigger: ".o_list_view .o_data_row:contains('COFFEE-250')",
        },
        {
            content: "Back to the Kaspi screen",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li:first-child a",
            run: "click",
        },
        {
            content: "Add a store with +",
            trigger: ".o_clever_kaspi_add_store",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Второй магазин",
        },
        {
            trigger: ".modal .o_field_widget[name=merchant_id] input",
            run: "edit 70070070",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The new store is picked",
            trigger: ".o_clever_kaspi_store_picker:has(option:selected:contains('Второй магазин'))",
        },
    ],
});
