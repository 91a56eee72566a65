//! Records and rows (compiled once per dialect, like all of `sql/`): a model
//! type declared with [`record!`] knows its table and columns, binds itself to
//! a statement in column order, and decodes itself from a row. Every insert,
//! update and multi-row import of that type goes through the same two
//! functions, so a column is named once.

use sqlx::query_builder::Separated;
use sqlx::{Database, FromRow};

use super::super::{Db, DbRow};
use crate::store::table::Table;

/// A statement with its bound values.
pub(crate) type Query<'q> = sqlx::query::Query<'q, Db, <Db as Database>::Arguments<'q>>;

/// Where values are bound in order: a statement, or one row of a multi-row
/// `VALUES` list.
pub(crate) trait Bind<'q>: Sized {
    fn value<T>(self, value: T) -> Self
    where
        T: 'q + sqlx::Encode<'q, Db> + sqlx::Type<Db>;
}

impl<'q> Bind<'q> for Query<'q> {
    fn value<T>(self, value: T) -> Self
    where
        T: 'q + sqlx::Encode<'q, Db> + sqlx::Type<Db>,
    {
        self.bind(value)
    }
}

impl<'args> Bind<'args> for &mut Separated<'_, 'args, Db, &'static str> {
    fn value<T>(self, value: T) -> Self
    where
        T: 'args + sqlx::Encode<'args, Db> + sqlx::Type<Db>,
    {
        self.push_bind(value)
    }
}

/// A model type stored as one row of one table.
pub(crate) trait Record: Sized + Send + Unpin + for<'r> FromRow<'r, DbRow> {
    /// Its table, with the columns in the order [`Record::bind_to`] binds them.
    const TABLE: Table;
    /// Binds every column, in [`Record::TABLE`] order.
    fn bind_to<'q, B: Bind<'q>>(&'q self, b: B) -> B;
    /// Reads a record from a row whose columns from position `first` on are
    /// the record's, in [`Record::TABLE`] order: every select list is built
    /// from that order, so records are read by position, never by name (no
    /// lookups, and two records of one joined row cannot be confused).
    fn decode(row: &DbRow, first: usize) -> sqlx::Result<Self>;
}

/// Declares a model type as a [`Record`]: its table (and the view reads go
/// through, when not the table), and its columns in bind order, each named
/// after the model field it holds. `field: json` keeps the field as JSON text
/// (see `store::json`). Leaving a field of the model out does not compile, so
/// a new field has to be given a column (or a deliberate default) here.
///
/// The expansion names `Record`, `Bind` and `DbRow` as the invoking module
/// sees them: each dialect's copy of an area binds its own.
macro_rules! record {
    ($model:ident in $table:literal $(via $source:literal)? {
        $($field:ident $(: $codec:ident)?),+ $(,)?
    }) => {
        impl Record for $model {
            const TABLE: $crate::store::table::Table = $crate::store::table::Table {
                name: $table,
                source: record!(@source $table $(, $source)?),
                columns: &[$(stringify!($field)),+],
            };

            fn bind_to<'q, B: Bind<'q>>(&'q self, b: B) -> B {
                $(let b = record!(@bind b, self.$field $(, $codec)?);)+
                b
            }

            fn decode(row: &DbRow, first: usize) -> sqlx::Result<Self> {
                use sqlx::Row as _;
                let mut at = first..;
                $(let $field = record!(@decode row, at, $($codec)?);)+
                Ok($model { $($field),+ })
            }
        }

        impl<'r> sqlx::FromRow<'r, DbRow> for $model {
            fn from_row(row: &'r DbRow) -> sqlx::Result<Self> {
                <$model as Record>::decode(row, 0)
            }
        }
    };
    (@source $table:literal) => { $table };
    (@source $table:literal, $source:literal) => { $source };
    (@bind $b:ident, $value:expr) => { $b.value(&$value) };
    (@bind $b:ident, $value:expr, json) => {
        $b.value($crate::store::json::to_column(&$value))
    };
    (@decode $row:ident, $at:ident, ) => {
        $row.try_get($at.next().unwrap_or(usize::MAX))?
    };
    (@decode $row:ident, $at:ident, json) => {
        $crate::store::json::JsonColumn::from_column(
            $row.try_get::<&str, _>($at.next().unwrap_or(usize::MAX))?,
        )
    };
}

/// Declares how a model type that is not one table's row (a join, a
/// computed summary) is read from a row: each field from the column of its
/// name, `field: json` from JSON text.
macro_rules! from_row {
    ($model:ident { $($field:ident $(: $codec:ident)?),+ $(,)? }) => {
        impl<'r> sqlx::FromRow<'r, DbRow> for $model {
            fn from_row(row: &'r DbRow) -> sqlx::Result<Self> {
                use sqlx::Row as _;
                Ok($model {
                    $($field: from_row!(@field row, $field $(, $codec)?),)+
                })
            }
        }
    };
    (@field $row:ident, $field:ident) => {
        $row.try_get(stringify!($field))?
    };
    (@field $row:ident, $field:ident, json) => {
        $crate::store::json::JsonColumn::from_column(
            $row.try_get::<&str, _>(stringify!($field))?,
        )
    };
}
